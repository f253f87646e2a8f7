using System.Net;
using Catalog.Api.Http;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Access;

/// <summary>
/// Who may do what, with ASP.NET Core's authorization: three policies named after the roles. <c>read</c> is every
/// endpoint's unless it says otherwise (the fallback policy, so a new endpoint is never open by mistake); commands
/// require <c>write</c>; purge, rebuild, imports and the keys <c>admin</c>. Reads need no key where
/// <c>Catalog:AnonymousReads</c> allows (by default from this machine). Refusals are ProblemDetails: 401 without a
/// usable key, 403 with a key whose role is too low.
/// </summary>
public static class AccessPolicies
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    /// <summary>The operator on this machine only (<see cref="LocalOperator"/>): what reads this machine's disk.</summary>
    public const string Operator = "operator";

    public static IServiceCollection AddCatalogAccess(this IServiceCollection services)
    {
        services.AddSingleton<LocalOperator>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalOperator>());
        services.AddSingleton(sp => new ApiKeyStore(sp.GetRequiredService<CatalogSettings>().DataDirectory, sp.GetRequiredService<TimeProvider>()));
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, RoleHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessProblems>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Read, Policy(ApiKeyRole.Read))
            .AddPolicy(Write, Policy(ApiKeyRole.Write))
            .AddPolicy(Admin, Policy(ApiKeyRole.Admin))
            .AddPolicy(Operator, Policy(ApiKeyRole.Admin, operatorOnly: true))
            .SetFallbackPolicy(Policy(ApiKeyRole.Read));
        return services;
    }

    private static AuthorizationPolicy Policy(ApiKeyRole role, bool operatorOnly = false) =>
        new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).AddRequirements(new RoleRequirement(role, operatorOnly)).Build();

    /// <summary>Whether this request may read without a key.</summary>
    public static bool MayReadAnonymously(HttpContext context, AnonymousReads setting) => setting switch
    {
        AnonymousReads.Any => true,
        AnonymousReads.Loopback => context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip) &&
                                   // A proxy on this machine makes every request look local: forwarded ones are not.
                                   !context.Request.Headers.ContainsKey("Forwarded") && !context.Request.Headers.ContainsKey("X-Forwarded-For"),
        _ => false,
    };

    /// <summary>The role a policy asks for.</summary>
    public static ApiKeyRole Needed(AuthorizationPolicy policy) =>
        policy.Requirements.OfType<RoleRequirement>().Select(r => r.Role).DefaultIfEmpty(ApiKeyRole.Read).Max();

    /// <param name="OperatorOnly">Only the operator on this machine (the token in <c>service.json</c>), not an API key of the role.</param>
    public sealed record RoleRequirement(ApiKeyRole Role, bool OperatorOnly = false) : IAuthorizationRequirement;

    private static bool OperatorOnly(AuthorizationPolicy policy) => policy.Requirements.OfType<RoleRequirement>().Any(r => r.OperatorOnly);

    private sealed class RoleHandler(CatalogSettings settings) : AuthorizationHandler<RoleRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
        {
            var http = context.Resource as HttpContext;
            if (ApiKeyAuthentication.RoleOf(context.User) is { } role)
            {
                if (role >= requirement.Role && (!requirement.OperatorOnly || context.User.HasClaim(ApiKeyAuthentication.OperatorClaim, "true")))
                    context.Succeed(requirement);
            }
            else if (requirement.Role == ApiKeyRole.Read && http is not null && !PresentedABadKey(http) &&
                     MayReadAnonymously(http, settings.AnonymousReads))
            {
                context.Succeed(requirement);
            }
            return Task.CompletedTask;
        }
    }

    private static bool PresentedABadKey(HttpContext context) => ApiKeyAuthentication.PresentedABadKey(context);

    /// <summary>401 and 403 as ProblemDetails that say what the request lacks; a key that is unknown or revoked is a 401 everywhere.</summary>
    private sealed class AccessProblems(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
        {
            if (result.Succeeded && !PresentedABadKey(context))
            {
                await _default.HandleAsync(next, context, policy, result);
                return;
            }
            var needed = ApiKeyAuthentication.RoleName(Needed(policy));
            var role = ApiKeyAuthentication.RoleOf(context.User);
            const string operatorOnly = "This reads a folder of the service's machine, which only the operator on that machine may ask for: " +
                                        "run 'catalog import-fs' there as the service's user (it hands the import over with the token in the data folder's service.json).";
            var (status, title, detail) = role is null
                ? (StatusCodes.Status401Unauthorized, "Unauthorized", PresentedABadKey(context)
                    ? ApiKeyAuthentication.UnknownKey
                    : OperatorOnly(policy) ? operatorOnly
                    : $"This needs a key with the role '{needed}': send it as 'Authorization: Bearer <key>' or '{ApiKeyAuthentication.KeyHeader}: <key>'.")
                : (StatusCodes.Status403Forbidden, "Forbidden", OperatorOnly(policy) && role >= ApiKeyRole.Admin
                    ? $"The key '{context.User.Identity!.Name}' is not the operator's. {operatorOnly}"
                    : $"The key '{context.User.Identity!.Name}' has the role '{ApiKeyAuthentication.RoleName(role.Value)}'; this needs '{needed}'.");
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer realm=\"catalog\"";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
            });
        }
    }
}
