using Catalog.Api.Hosting;
using Catalog.Api.Productions;
using Catalog.Domain.Productions;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Marten;
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

        var selection = new ViewSelection(QuerySchema.Tables.Productions, QuerySchema.Columns.Status,
            string.IsNullOrEmpty(status) ? null : status, ProductionId: null);
        var (items, total) = await ViewPages.ReadAsync<ProductionView>(session, selection, take, skip, ct);

        return new Page<ProductionResponse>(items.Select(ProductionResponse.From).ToList(), total, take, skip);
    }
}
