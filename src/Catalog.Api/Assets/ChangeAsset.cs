using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Api.Http;
using Catalog.Application.Assets;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Assets;

public sealed record MoveAssetRequest(string? ProductionId);

/// <summary>
/// Changing an existing asset, for every kind: each endpoint turns the request into its command, runs the command's
/// handler and answers with the asset as it is now. <c>?expected_version=N</c> makes a change conditional.
/// </summary>
public static class ChangeAssetEndpoints
{
    private const int MaxPatchBytes = 256 * 1024;

    /// <summary>Corrects the kind's columns with a JSON merge patch (RFC 7396): named fields replaced, <c>null</c> clears one, the rest stay.</summary>
    public static async Task<Ok<AssetDetail<TMetadata>>> Correct<TMetadata>(string id, HttpRequest request,
        [FromQuery(Name = "expected_version")] long? expectedVersion, [AsParameters] CommandServices command)
        where TMetadata : IAssetMetadata
    {
        var assetId = Routes.AssetId<TMetadata>(id);
        var changes = MetadataValues.FromPatch<TMetadata>(await ReadPatchAsync(request, command.Ct));
        await AssetCommands.HandleAsync(command.Session, new CorrectAssetMetadata<TMetadata>(assetId, changes, expectedVersion),
            command.Caller, command.Clock, command.Ct);
        return await DetailAsync<TMetadata>(assetId, command);
    }

    /// <summary>Into a production (<c>{"production_id": …}</c>); 422 when there is no such live production.</summary>
    public static async Task<Ok<AssetDetail<TMetadata>>> Move<TMetadata>(string id, MoveAssetRequest request,
        [FromQuery(Name = "expected_version")] long? expectedVersion, [AsParameters] CommandServices command)
        where TMetadata : IAssetMetadata
    {
        var assetId = Routes.AssetId<TMetadata>(id);
        if (string.IsNullOrWhiteSpace(request.ProductionId))
            throw DomainException.Invalid("production_id is required; to take the asset out of its production, DELETE …/production.");
        await AssetCommands.HandleAsync(command.Session, new MoveAsset<TMetadata>(assetId, request.ProductionId, expectedVersion),
            command.Caller, command.Clock, command.Ct);
        return await DetailAsync<TMetadata>(assetId, command);
    }

    /// <summary>Out of its production.</summary>
    public static async Task<Ok<AssetDetail<TMetadata>>> Detach<TMetadata>(string id,
        [FromQuery(Name = "expected_version")] long? expectedVersion, [AsParameters] CommandServices command)
        where TMetadata : IAssetMetadata
    {
        var assetId = Routes.AssetId<TMetadata>(id);
        await AssetCommands.HandleAsync(command.Session, new DetachAsset<TMetadata>(assetId, expectedVersion), command.Caller, command.Clock, command.Ct);
        return await DetailAsync<TMetadata>(assetId, command);
    }

    /// <summary>Into the trash: it leaves the views (and the export); its events, and its bytes, stay until a purge.</summary>
    public static async Task<NoContent> Delete<TMetadata>(string id,
        [FromQuery(Name = "expected_version")] long? expectedVersion, [AsParameters] CommandServices command)
        where TMetadata : IAssetMetadata
    {
        await AssetCommands.HandleAsync(command.Session, new DeleteAsset<TMetadata>(Routes.AssetId<TMetadata>(id), expectedVersion),
            command.Caller, command.Clock, command.Ct);
        return TypedResults.NoContent();
    }

    /// <summary>Back from the trash with the same id and filename; 409 when the filename was taken meanwhile or its production is not live.</summary>
    public static async Task<Ok<AssetDetail<TMetadata>>> Restore<TMetadata>(string id, [AsParameters] CommandServices command)
        where TMetadata : IAssetMetadata
    {
        var assetId = Routes.AssetId<TMetadata>(id);
        await AssetCommands.HandleAsync(command.Session, new RestoreAsset<TMetadata>(assetId), command.Caller, command.Clock, command.Ct);
        return await DetailAsync<TMetadata>(assetId, command);
    }

    private static async Task<Ok<AssetDetail<TMetadata>>> DetailAsync<TMetadata>(long assetId, CommandServices command)
        where TMetadata : IAssetMetadata =>
        TypedResults.Ok((await AssetDetails.LoadAsync<TMetadata>(command.Session, assetId, command.Ct))!);

    private static async Task<JsonObject> ReadPatchAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType() &&
            !(request.ContentType ?? "").StartsWith("application/merge-patch+json", StringComparison.OrdinalIgnoreCase))
            throw ApiProblem.UnsupportedMediaType("Send the correction as application/json or application/merge-patch+json.");
        if (request.ContentLength > MaxPatchBytes) throw ApiProblem.TooLarge($"The patch is larger than {MaxPatchBytes:N0} bytes.");
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
            return node as JsonObject ?? throw ApiProblem.BadRequest("The patch must be a JSON object of metadata fields.");
        }
        catch (JsonException e)
        {
            throw ApiProblem.BadRequest($"The patch is not valid JSON: {e.Message}");
        }
    }
}
