using System.Text.Json.Nodes;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Media;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Catalog.Api.Http;

/// <summary>
/// The content types an endpoint that reads its body itself takes — for the OpenAPI document, and for the refusal of any
/// other (<see cref="Access.CrossSiteRequests"/>): a state-changing request carries only what its endpoint documents.
/// (Not ASP.NET's <c>IAcceptsMetadata</c>, which routing would enforce before the key is checked.)
/// </summary>
public abstract class AcceptsAttribute(params string[] contentTypes) : Attribute
{
    public IReadOnlyList<string> ContentTypes { get; } = contentTypes;
}

/// <summary>
/// The request is a multipart upload: <c>file</c>, <c>filename</c>, <c>production_id</c>, <c>created_at</c> and the kind's
/// metadata fields; or, for a batch, many <c>file</c> parts and the fields but <c>filename</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UploadFormAttribute(Type metadataType, bool batch = false) : AcceptsAttribute("multipart/form-data")
{
    public Type MetadataType { get; } = metadataType;
    public bool Batch { get; } = batch;
}

/// <summary>The request body is a JSON document read by the endpoint itself (<c>application/json</c>, or the types named).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsJsonDocumentAttribute(params string[] contentTypes)
    : AcceptsAttribute(contentTypes.Length > 0 ? contentTypes : ["application/json"]);

/// <summary>The request body is a file's bytes of one of <paramref name="contentTypes"/>, read as a stream by the endpoint.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsFileAttribute(string description, params string[] contentTypes) : AcceptsAttribute(contentTypes)
{
    public string Description { get; } = description;
}

/// <summary>A media response: the bytes (200 or 206 for a range), 304, 400, 404, 416.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProducesMediaAttribute : Attribute;

/// <summary>
/// Describes in the OpenAPI document what the endpoints read or answer themselves (streamed uploads, raw JSON
/// documents, media bytes), which the API explorer cannot see from their parameters.
/// </summary>
public sealed class RequestBodies : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;

        if (metadata.OfType<UploadFormAttribute>().FirstOrDefault() is { } upload)
            operation.RequestBody = UploadBody(AssetKinds.All.Single(k => k.MetadataType == upload.MetadataType), upload.Batch);

        if (metadata.OfType<AcceptsJsonDocumentAttribute>().Any())
            operation.RequestBody = Body("application/json", new OpenApiSchema { Type = JsonSchemaType.Object }, null);

        if (metadata.OfType<AcceptsFileAttribute>().FirstOrDefault() is { } file)
            operation.RequestBody = Body("application/octet-stream", new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" }, file.Description);

        if (metadata.OfType<ProducesMediaAttribute>().Any())
        {
            operation.Responses ??= new OpenApiResponses();
            var bytes = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/octet-stream"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
            };
            operation.Responses["200"] = new OpenApiResponse { Description = "The bytes (Content-Type is the asset's mime_type).", Content = bytes };
            operation.Responses["206"] = new OpenApiResponse { Description = "The requested byte range.", Content = bytes };
            operation.Responses["304"] = new OpenApiResponse { Description = "Not modified (If-None-Match matched the sha256 ETag)." };
            operation.Responses["416"] = new OpenApiResponse { Description = "The range cannot be satisfied." };
            var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
            foreach (var status in new[] { "400", "404" })
            {
                operation.Responses.TryAdd(status, new OpenApiResponse
                {
                    Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(int.Parse(status)),
                    Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = problem } },
                });
            }
        }
    }

    private static OpenApiRequestBody Body(string contentType, OpenApiSchema schema, string? description) => new()
    {
        Required = true,
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType> { [contentType] = new OpenApiMediaType { Schema = schema } },
    };

    private static OpenApiRequestBody UploadBody(AssetKindInfo kind, bool batch)
    {
        var file = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The media file." };
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            [UploadForm.FileField] = batch
                ? new OpenApiSchema
                {
                    Type = JsonSchemaType.Array, Items = file,
                    Description = "The media files, each registered under its part's file name. A field applies to every file sent after it.",
                }
                : file,
            ["production_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An existing production." },
            ["created_at"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String, Format = "date-time",
                Description = "ISO-8601, or SQLite's 2024-03-01 10:00:00 (UTC when no offset is given). Defaults to now.",
            },
        };
        if (!batch) properties["filename"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Unique per kind; defaults to the uploaded file's name." };
        foreach (var field in kind.Fields) properties[field.Name] = AssetSchemas.Column(field, kind, upload: true);

        return Body("multipart/form-data", new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { UploadForm.FileField, kind.TypeField },
            Properties = properties,
        }, null);
    }
}

/// <summary>
/// The flat shape the asset views are answered in (<see cref="AssetViewJsonConverter"/>): the seed's columns of the kind,
/// then the catalog's own fields — drawn from the kinds registry, so the document says what the JSON is. Schema ids
/// name the kind: <c>Image</c>, <c>ImageDetail</c>, <c>ImagePage</c>.
/// </summary>
public sealed class AssetSchemas : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema target || !context.Type.IsGenericType) return;
        var definition = context.Type.GetGenericTypeDefinition();
        if (definition != typeof(AssetView<>) && definition != typeof(AssetDetail<>)) return;
        var kind = AssetKinds.All.Single(k => k.MetadataType == context.Type.GetGenericArguments()[0]);

        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            ["filename"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["production_id"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        };
        foreach (var field in kind.Fields) properties[field.Name] = Column(field, kind);
        properties["created_at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
        properties["file_size"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" };
        properties["mime_type"] = new OpenApiSchema { Type = JsonSchemaType.String };
        properties["sha256"] = new OpenApiSchema { Type = JsonSchemaType.String };
        properties["updated_at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
        properties["version"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "The stream's version: pass it as expected_version." };
        properties["media_url"] = new OpenApiSchema { Type = JsonSchemaType.String };
        properties["production"] = definition == typeof(AssetDetail<>)
            ? context.SchemaGenerator.GenerateSchema(typeof(ProductionLink), context.SchemaRepository)
            : new OpenApiSchema { Type = JsonSchemaType.Null, Description = "Filled in by the detail endpoints." };
        target.Properties = properties;
        target.Required = new HashSet<string> { "id", "filename", kind.TypeField, "created_at", "file_size", "mime_type", "sha256", "version" };
    }

    /// <summary>
    /// A metadata column's schema: its JSON type, null allowed but for the <c>*_type</c> — open text, with the seed's
    /// well-known values as description and examples (never an enum). On an upload, the columns the bytes can say are
    /// marked as read from the file when left out.
    /// </summary>
    public static OpenApiSchema Column(MetadataField field, AssetKindInfo kind, bool upload = false)
    {
        var type = field.Type == typeof(int) ? JsonSchemaType.Integer : field.Type == typeof(double) ? JsonSchemaType.Number : JsonSchemaType.String;
        if (field.Name == kind.TypeField)
        {
            return new OpenApiSchema
            {
                Type = type,
                Description = $"Any text (trimmed; at most 64 characters, no control characters). Well-known: {string.Join(", ", kind.WellKnownTypes)}.",
                Examples = kind.WellKnownTypes.Select(t => (JsonNode)JsonValue.Create(t)).ToList(),
            };
        }
        return new OpenApiSchema
        {
            Type = type | JsonSchemaType.Null,
            Description = upload && MediaFacts.Columns.Contains(field.Name) ? "Read from the file when left out; a value sent is kept as sent." : null,
        };
    }

    /// <summary>The metadata records are written inline (never as objects of their own): their schemas go.</summary>
    public sealed class WithoutMetadataRecords : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            foreach (var kind in AssetKinds.All) document.Components?.Schemas?.Remove(Id(kind.MetadataType));
        }
    }

    /// <summary>Schema ids: the kind's name for its views (<c>Image</c>, <c>ImageDetail</c>, <c>ImagePage</c>), the type's name otherwise.</summary>
    public static string Id(Type type)
    {
        if (!type.IsGenericType) return type.Name;
        var arguments = type.GetGenericArguments().Select(Id);
        var definition = type.GetGenericTypeDefinition();
        if ((definition == typeof(AssetView<>) || definition == typeof(AssetDetail<>)) &&
            AssetKinds.All.SingleOrDefault(k => k.MetadataType == type.GetGenericArguments()[0]) is { } kind)
            return char.ToUpperInvariant(kind.Name[0]) + kind.Name[1..] + (definition == typeof(AssetDetail<>) ? "Detail" : "");
        return string.Concat(arguments) + type.Name[..type.Name.IndexOf('`')];
    }
}
