using Catalog.Api.Hosting;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Productions;

/// <summary>Either the id of a registered audio asset (its filename and duration are taken from it), or a filename and duration.</summary>
public sealed record AttachProductionAudioRequest(long? AudioId, string? AudioFilename, double? AudioDuration);

public static class AttachProductionAudioEndpoint
{
    [WolverinePut("/api/productions/{id}/audio"), Tags("Productions"), EndpointSummary("Attach the production's audio track")]
    [ProducesResponseType<ProductionView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public static async Task<ProductionView> Put(
        string id, AttachProductionAudioRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct)
    {
        var command = new AttachProductionAudio(null, request.AudioFilename ?? "", request.AudioDuration);
        if (request.AudioId is { } audioId)
        {
            var audio = await session.LoadAsync<AssetView<AudioMetadata>>(audioId, ct)
                        ?? throw DomainException.Unprocessable($"Audio {audioId} does not exist.");
            command = new AttachProductionAudio(audioId, audio.Filename, request.AudioDuration ?? audio.Metadata.Duration);
        }

        return await ProductionCommand.Run(session, id, expectedVersion, ct,
            state => ProductionDecisions.AttachAudio(state, id, command, caller.Actor, clock.GetUtcNow()));
    }
}
