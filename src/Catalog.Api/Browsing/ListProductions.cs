using Catalog.Api.Hosting;
using Catalog.Api.Productions;
using Catalog.Domain.Productions;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Browsing;

public static class ListProductionsEndpoint
{
    /// <summary>The seed's project list: newest first (created_at, then id), optionally by status, one page with the total.</summary>
    [WolverineGet("/api/gallery/productions"), Tags("Gallery"), EndpointSummary("Browse productions")]
    [ProducesResponseType<Page<ProductionView>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static async Task<IResult> Get(string? status, int? limit, int? offset, CatalogReads reads, CancellationToken ct)
    {
        var (take, skip) = Paging.Read(limit, offset);
        if (!string.IsNullOrEmpty(status) && !ProductionStatus.All.Contains(status))
            throw ApiProblem.BadRequest($"status '{status}' is not one of: {string.Join(", ", ProductionStatus.All)}.");

        var selection = new ViewSelection(QuerySchema.Tables.Productions, QuerySchema.Columns.Status,
            string.IsNullOrEmpty(status) ? null : status, ProductionId: null);
        return Results.Text(await ListPages.ReadJsonAsync(reads, selection, take, skip, ct), "application/json; charset=utf-8");
    }
}
