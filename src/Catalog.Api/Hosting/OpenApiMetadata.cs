using Catalog.Api.Assets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Catalog.Api.Hosting;

/// <summary>The request is a multipart upload: <c>file</c>, <c>filename</c>, <c>production_id</c>, <c>created_at</c> and the kind's metadata fields.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UploadFormAttribute(Type metadataType) : Attribute
{
    public Type MetadataType { get; } = metadataType;
}

/// <summary>The request body is a JSON document read by the endpoint itself.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsJsonDocumentAttribute : Attribute;

/// <summary>The request body is a file's bytes, read as a stream by the endpoint.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsFileAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}

/// <summary>The ProblemDetails answers of a command on an existing asset: 400, 404, 409, 415, 422.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProducesCommandProblemsAttribute : Attribute;

/// <summary>The ProblemDetails answers of an upload: 400, 409, 413, 415, 422.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProducesUploadProblemsAttribute : Attribute;

/// <summary>A media response: the bytes (200 or 206 for a range), 304, 400, 404, 416.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProducesMediaAttribute : Attribute;

/// <summary>
/// Describes in the OpenAPI document what the endpoints read or answer themselves (streamed uploads,
/// raw JSON documents, media bytes), which the API explorer cannot see from their parameters.
/// </summary>
public sealed class UploadFormOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;

        if (metadata.OfType<UploadFormAttribute>().FirstOrDefault() is { } upload)
            operation.RequestBody = UploadBody(upload.MetadataType);

        if (metadata.OfType<AcceptsJsonDocumentAttribute>().Any())
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
                },
            };
        }

        if (metadata.OfType<AcceptsFileAttribute>().FirstOrDefault() is { } file)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = file.Description,
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["application/octet-stream"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                },
            };
        }

        // Wolverine adds a 200 for every endpoint; a command answering 201 or 204 never sends one.
        if (operation.Responses is { } responses && (responses.ContainsKey("201") || responses.ContainsKey("204")))
            responses.Remove("200");

        if (metadata.OfType<ProducesCommandProblemsAttribute>().Any())
            AddProblems(operation, context, 400, 404, 409, 415, 422);
        if (metadata.OfType<ProducesUploadProblemsAttribute>().Any())
            AddProblems(operation, context, 400, 409, 413, 415, 422);
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
            AddProblems(operation, context, 400, 404);
        }
    }

    private static OpenApiRequestBody UploadBody(Type metadataType)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            [UploadForm.FileField] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The media file." },
            ["filename"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Unique per kind; defaults to the uploaded file's name." },
            ["production_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An existing production." },
            ["created_at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "Defaults to now." },
        };
        foreach (var field in MetadataFields.Of(metadataType))
        {
            properties[field.Name] = field.Type == typeof(int) ? new OpenApiSchema { Type = JsonSchemaType.Integer }
                : field.Type == typeof(double) ? new OpenApiSchema { Type = JsonSchemaType.Number }
                : new OpenApiSchema { Type = JsonSchemaType.String };
        }

        var typeField = MetadataFields.Of(metadataType)[0].Name; // image_type / video_type / audio_type
        return new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["multipart/form-data"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { UploadForm.FileField, typeField },
                        Properties = properties,
                    },
                },
            },
        };
    }

    private static void AddProblems(OpenApiOperation operation, OperationFilterContext context, params int[] statuses)
    {
        var schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        operation.Responses ??= new OpenApiResponses();
        foreach (var status in statuses)
        {
            operation.Responses.TryAdd(status.ToString(), new OpenApiResponse
            {
                Description = ReasonPhrases(status),
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = schema } },
            });
        }
    }

    private static string ReasonPhrases(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
