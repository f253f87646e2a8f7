using Catalog.Api.Hosting;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Productions;

/// <summary>Fields left out (or null) stay as they are; an empty string clears one.</summary>
public sealed record ChangeProductionDetailsRequest(string? Title, string? Artist);

public static class ChangeProductionDetailsEndpoint
{
    [WolverinePatch("/api/productions/{id}"), Tags("Productions"), EndpointSummary("Change a production's title and/or artist")]
    [ProducesResponseType<ProductionView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public static Task<ProductionView> Patch(
        string id, ChangeProductionDetailsRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        ProductionCommand.Run(session, id, expectedVersion, ct, state => ProductionDecisions.ChangeDetails(
            state, id, new ChangeProductionDetails(request.Title, request.Artist), caller.Actor, clock.GetUtcNow()));
}
