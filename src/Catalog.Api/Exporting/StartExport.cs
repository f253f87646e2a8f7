using System.Security.Cryptography;
using Catalog.Api.Hosting;
using Catalog.Domain;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace Catalog.Api.Exporting;

/// <param name="Mode">portable (default: every binary inline) or hybrid (binary_data NULL, the files beside; served as a tar).</param>
/// <param name="ProductionId">Only this production and its assets.</param>
/// <param name="AsOf">The catalog as it was at this instant, rebuilt from the events.</param>
public sealed record StartExportRequest(string? Mode, string? ProductionId, DateTimeOffset? AsOf);

/// <summary>The message that runs an export in the background (<see cref="RunExportHandler"/>).</summary>
public sealed record RunExport(string ExportId);

public static class StartExportEndpoint
{
    [WolverinePost("/api/exports"), Tags("Exports"), EndpointSummary("Start an export of the portable assets.db")]
    [ProducesResponseType<ExportJob>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public static async Task<IResult> Post(StartExportRequest request, IDocumentSession session, IMessageBus bus,
        [NotBody] Caller caller, TimeProvider clock, CancellationToken ct)
    {
        var mode = (request.Mode ?? "portable").ToLowerInvariant();
        if (mode is not ("portable" or "hybrid"))
            throw ApiProblem.BadRequest($"mode '{request.Mode}' is not one of: portable, hybrid.");
        var now = clock.GetUtcNow();
        if (request.AsOf > now) throw ApiProblem.BadRequest("as_of is in the future.");
        if (request.ProductionId is { } productionId && request.AsOf is null &&
            await session.LoadAsync<ProductionView>(productionId, ct) is null)
            throw DomainException.Unprocessable($"There is no production '{productionId}' to export.");

        var job = new ExportJob($"exp_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", JobStatus.Queued, mode,
            request.ProductionId, request.AsOf, caller.Actor, now, Node: ExportJob.ThisNode);
        session.Store(job);
        await session.SaveChangesAsync(ct);
        await bus.PublishAsync(new RunExport(job.Id));
        return Results.Accepted(job.Url, job);
    }
}
