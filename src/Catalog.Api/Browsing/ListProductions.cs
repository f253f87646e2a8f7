using Catalog.Api.Hosting;
using Catalog.Api.Productions;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Marten;
using Marten.Services.BatchQuerying;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Browsing;

public static class ListProductionsEndpoint
{
    /// <summary>The seed's project list: newest first (created_at, then id), optionally by status, one page with the total.</summary>
    [WolverineGet("/api/gallery/productions"), Tags("Gallery"), EndpointSummary("Browse productions")]
    [ProducesResponseType<Page<ProductionResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static async Task<Page<ProductionResponse>> Get(string? status, int? limit, int? offset, IQuerySession session, CancellationToken ct)
    {
        var (take, skip) = Paging.Read(limit, offset);
        if (!string.IsNullOrEmpty(status) && !ProductionStatus.All.Contains(status))
            throw ApiProblem.BadRequest($"status '{status}' is not one of: {string.Join(", ", ProductionStatus.All)}.");

        var batch = session.CreateBatchQuery();
        var items = Filter(batch.Query<ProductionView>(), status)
            .OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id)
            .Skip(skip).Take(take)
            .ToList();
        var total = Filter(batch.Query<ProductionView>(), status).Count();
        await batch.Execute(ct);

        return new Page<ProductionResponse>((await items).Select(ProductionResponse.From).ToList(), await total, take, skip);
    }

    private static IBatchedQueryable<ProductionView> Filter(IBatchedQueryable<ProductionView> query, string? status) =>
        string.IsNullOrEmpty(status) ? query : query.Where(x => x.Status == status);
}
