using Catalog.Domain;
using Marten;

namespace Catalog.Api.Importing;

/// <summary>An import's state and summary, and the latest imports.</summary>
public static class GetImportEndpoints
{
    public static async Task<ImportJob> Get(string id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ImportJob>(id, ct) ?? throw DomainException.NotFound($"There is no import '{id}'.");

    public static Task<IReadOnlyList<ImportJob>> List(IQuerySession session, CancellationToken ct) =>
        session.Query<ImportJob>().OrderByDescending(x => x.RequestedAt).Take(50).ToListAsync(ct);
}
