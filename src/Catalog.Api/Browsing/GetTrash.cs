using Catalog.Api.Hosting;
using Catalog.Application.Trash;
using Catalog.Infrastructure;
using Catalog.Projections.Queries;
using Catalog.Projections;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Browsing;

/// <param name="PurgeAfter">When the purge may take it for good (deleted + Catalog:TrashRetentionDays).</param>
/// <param name="RestoreUrl">POST here to bring it back.</param>
public sealed record TrashEntry(
    string Kind, string Id, string? Name, DateTimeOffset TrashedAt, string? TrashedBy, string? CascadedFromProductionId,
    DateTimeOffset PurgeAfter, string RestoreUrl);

public static class GetTrashEndpoint
{
    /// <summary>What was deleted and can still be restored, newest first; <c>kind</c> = production, image, video or audio.</summary>
    [WolverineGet("/api/gallery/trash"), Tags("Gallery"), EndpointSummary("Deleted things that can be restored")]
    [ProducesResponseType<Page<TrashEntry>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static async Task<Page<TrashEntry>> Get(string? kind, int? limit, int? offset, CatalogReads reads, CatalogSettings settings, CancellationToken ct)
    {
        if (kind is not (null or "" or "production" or "image" or "video" or "audio"))
            throw ApiProblem.BadRequest($"kind '{kind}' is not one of: production, image, video, audio.");
        var (take, skip) = Paging.Read(limit, offset);
        List<TrashItem> items;
        await using (var connection = await reads.OpenAsync(ct))
            items = await TrashItems.ListAsync(connection, string.IsNullOrEmpty(kind) ? null : kind, trashedBefore: null, ct);

        var retention = TimeSpan.FromDays(settings.TrashRetentionDays);
        return new Page<TrashEntry>(items.Skip(skip).Take(take).Select(i => new TrashEntry(
            i.Kind, i.Id, i.Name, i.TrashedAt, i.TrashedBy, i.CascadedFromProductionId, i.TrashedAt + retention,
            i.Kind == "production" ? $"/api/productions/{i.Id}/restore" : $"/api/{Table(i.Kind)}/{i.Id}/restore")).ToList(),
            items.Count, take, skip);
    }

    private static string Table(string kind) => kind switch { "image" => "images", "video" => "videos", _ => "audio" };
}
