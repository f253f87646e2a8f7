using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Catalog.Api.Access;

/// <summary>
/// The keys in the OpenAPI document: two ways to send one (<c>Authorization: Bearer</c>, <c>X-Api-Key</c>) — Swagger UI's
/// "Authorize" takes either — and on every operation the role it needs.
/// </summary>
public sealed class AccessInOpenApi : IOperationFilter
{
    public const string Bearer = "bearer";
    public const string ApiKey = "apiKey";

    public static void AddSchemes(SwaggerGenOptions swagger)
    {
        swagger.AddSecurityDefinition(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key (cat_…) as 'Authorization: Bearer <key>'. The first start prints an admin key; make more with `catalog keys add`.",
        });
        swagger.AddSecurityDefinition(ApiKey, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.KeyHeader,
            Description = "The same key in the X-Api-Key header.",
        });
        swagger.OperationFilter<AccessInOpenApi>();
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any()) return;
        var role = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null) ?? AccessPolicies.Read;
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKey, context.Document)] = [] },
        ];
        var note = role == AccessPolicies.Read
            ? "Needs a key with the role 'read' (or none, where Catalog:AnonymousReads allows: by default from this machine)."
            : $"Needs a key with the role '{role}'.";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? note : $"{operation.Description}\n\n{note}";
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No key, or one unknown or revoked." });
        if (role != AccessPolicies.Read) operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The key's role is below '{role}'." });
    }
}
