using Catalog.Domain;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Importing;

public static class GetImportEndpoint
{
    [WolverineGet("/api/imports/{id}"), Tags("Imports"), EndpointSummary("An import's status, progress and summary")]
    [ProducesResponseType<ImportJob>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static async Task<ImportJob> Get(string id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ImportJob>(id, ct) ?? throw DomainException.NotFound($"There is no import '{id}'.");

    [WolverineGet("/api/imports"), Tags("Imports"), EndpointSummary("The latest imports, newest first")]
    [ProducesResponseType<IReadOnlyList<ImportJob>>(StatusCodes.Status200OK)]
    public static Task<IReadOnlyList<ImportJob>> List(IQuerySession session, CancellationToken ct) =>
        session.Query<ImportJob>().OrderByDescending(x => x.RequestedAt).Take(50).ToListAsync(ct);
}
