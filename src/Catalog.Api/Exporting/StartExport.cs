using System.Security.Cryptography;
using Catalog.Api.Http;
using Catalog.Api.Jobs;
using Catalog.Domain;
using Catalog.Infrastructure;
using Marten;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace Catalog.Api.Exporting;

/// <param name="Mode">portable (default: every binary inline) or hybrid (binary_data NULL, the files beside; served as a tar).</param>
/// <param name="ProductionId">Only this production and its assets.</param>
/// <param name="AsOf">The catalog as it was at this instant, rebuilt from the events.</param>
public sealed record StartExportRequest(string? Mode, string? ProductionId, DateTimeOffset? AsOf);

/// <summary>The message that runs an export in the background (<see cref="RunExportHandler"/>).</summary>
public sealed record RunExport(string ExportId);

public static class StartExportEndpoint
{
    /// <summary>Queues an export of the portable assets.db: 202 with the job and its location; it runs in the background.</summary>
    public static async Task<Accepted<ExportJob>> Post(StartExportRequest request, IMessageBus bus, CatalogSettings settings,
        [AsParameters] CommandServices command)
    {
        var mode = (request.Mode ?? "portable").ToLowerInvariant();
        if (mode is not ("portable" or "hybrid"))
            throw ApiProblem.BadRequest($"mode '{request.Mode}' is not one of: portable, hybrid.");
        var now = command.Clock.GetUtcNow();
        if (request.AsOf > now) throw ApiProblem.BadRequest("as_of is in the future.");
        if (request.ProductionId is { } productionId && request.AsOf is null &&
            await command.Session.LoadAsync<ProductionView>(productionId, command.Ct) is null)
            throw DomainException.Unprocessable($"There is no production '{productionId}' to export.");

        var active = await command.Session.Query<ExportJob>().CountAsync(x => x.Status == JobStatus.Queued || x.Status == JobStatus.Running, command.Ct);
        if (active >= settings.MaxActiveExports)
            throw ApiProblem.TooMany($"{active} exports are queued or running (Catalog:MaxActiveExports is {settings.MaxActiveExports}); ask again when one has finished.", 30);

        var job = new ExportJob($"exp_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", JobStatus.Queued, mode,
            request.ProductionId, request.AsOf, command.Caller.Actor, now, Node: BackgroundJobs.ThisNode);
        command.Session.Store(job);
        await command.Session.SaveChangesAsync(command.Ct);
        await bus.PublishAsync(new RunExport(job.Id));
        return TypedResults.Accepted(job.Url, job);
    }
}
