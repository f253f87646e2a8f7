using Catalog.Api.Hosting;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Productions;

/// <param name="Status">draft, generating or completed.</param>
public sealed record ChangeProductionStatusRequest(string Status);

public static class ChangeProductionStatusEndpoint
{
    [WolverinePost("/api/productions/{id}/status"), Tags("Productions")]
    [EndpointSummary("Move a production along draft → generating → completed (or back to draft)")]
    [ProducesResponseType<ProductionView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public static Task<ProductionView> Post(
        string id, ChangeProductionStatusRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        ProductionCommand.Run(session, id, expectedVersion, ct, state => ProductionDecisions.ChangeStatus(
            state, id, new ChangeProductionStatus(request.Status ?? ""), caller.Actor, clock.GetUtcNow()));
}
