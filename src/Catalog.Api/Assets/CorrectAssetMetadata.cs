using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Api.Hosting;
using Catalog.Domain.Assets;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Assets;

/// <summary>
/// Correcting an asset's descriptive columns with a JSON merge patch (RFC 7396): the fields named are
/// replaced, <c>null</c> clears one, the rest stay. The event carries the full metadata after the change.
/// Filename, production and content are not metadata: they have their own commands (or none).
/// </summary>
public static class CorrectAssetMetadataEndpoint
{
    private const int MaxPatchBytes = 256 * 1024;

    [WolverinePatch("/api/images/{id}"), Tags("Images"), EndpointSummary("Correct an image's metadata (JSON merge patch)")]
    [AcceptsJsonDocument]
    [ProducesResponseType<ImageResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> PatchImage(string id, HttpRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Correct<ImageMetadata>(id, request, expectedVersion, session, caller, clock, ct);

    [WolverinePatch("/api/videos/{id}"), Tags("Videos"), EndpointSummary("Correct a video's metadata (JSON merge patch)")]
    [AcceptsJsonDocument]
    [ProducesResponseType<VideoResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> PatchVideo(string id, HttpRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Correct<VideoMetadata>(id, request, expectedVersion, session, caller, clock, ct);

    [WolverinePatch("/api/audio/{id}"), Tags("Audio"), EndpointSummary("Correct an audio track's metadata (JSON merge patch)")]
    [AcceptsJsonDocument]
    [ProducesResponseType<AudioResponse>(StatusCodes.Status200OK)]
    [ProducesCommandProblems]
    public static Task<object> PatchAudio(string id, HttpRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Correct<AudioMetadata>(id, request, expectedVersion, session, caller, clock, ct);

    private static async Task<object> Correct<TMetadata>(string id, HttpRequest request, long? expectedVersion,
        IDocumentSession session, Caller caller, TimeProvider clock, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var patch = await ReadPatchAsync(request, ct);
        return await AssetCommand.Run<TMetadata>(session, id, expectedVersion, ct, (state, assetId) =>
        {
            var current = AssetDecisions.Live(state, assetId);
            var corrected = MetadataFields.Merge(current.Metadata, patch);
            return Task.FromResult<object>(AssetDecisions.CorrectMetadata(state, assetId, corrected, caller.Actor, clock.GetUtcNow()));
        });
    }

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
