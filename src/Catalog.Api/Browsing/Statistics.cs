using Catalog.Api.Http;
using Catalog.Domain.Assets;
using Catalog.Infrastructure;
using Catalog.Projections.Queries;

namespace Catalog.Api.Browsing;

/// <param name="PurgeAfter">When the purge may take it for good (deleted + Catalog:TrashRetentionDays).</param>
/// <param name="RestoreUrl">POST here to bring it back.</param>
public sealed record TrashEntry(
    string Kind, string Id, string? Name, DateTimeOffset TrashedAt, string? TrashedBy, string? CascadedFromProductionId,
    DateTimeOffset PurgeAfter, string RestoreUrl);

/// <summary>The catalog in figures, and what is in its trash.</summary>
public static class CatalogFiguresEndpoints
{
    /// <summary>
    /// The seed's statistics: counts and bytes per kind and per type, productions per status, storage in all, and recent
    /// activity (events in the last 24 hours and 7 days, the latest 20 with kind, id, what, when, who). Read
    /// fresh: the figures are kept by the views' triggers in each change's transaction (<c>Catalog:StatsCacheSeconds</c> above 0 shares a reading for that long).
    /// </summary>
    public static Task<CatalogStats> Stats(IGallery gallery, CancellationToken ct) => gallery.StatsAsync(ct);

    /// <summary>What was deleted and can still be restored, newest first; <c>kind</c> = production, image, video or audio.</summary>
    public static async Task<Page<TrashEntry>> Trash(string? kind, int? limit, int? offset, CatalogReads reads, CatalogSettings settings, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(kind) && kind != "production" && !AssetKinds.All.Any(k => k.Name == kind))
            throw ApiProblem.BadRequest($"kind '{kind}' is not one of: production, {string.Join(", ", AssetKinds.All.Select(k => k.Name))}.");
        var (take, skip) = Paging.Read(limit, offset);
        List<TrashItem> items;
        long total;
        await using (var connection = await reads.OpenAsync(ct))
            (items, total) = await TrashItems.PageAsync(connection, string.IsNullOrEmpty(kind) ? null : kind, trashedBefore: null, take, skip, ct);

        var retention = TimeSpan.FromDays(settings.TrashRetentionDays);
        return new Page<TrashEntry>(items.Select(i => new TrashEntry(
            i.Kind, i.Id, i.Name, i.TrashedAt, i.TrashedBy, i.CascadedFromProductionId, i.TrashedAt + retention,
            AssetKinds.TryParse(i.Kind, out var assetKind) ? $"/api/{assetKind.Table}/{i.Id}/restore" : $"/api/productions/{i.Id}/restore")).ToList(),
            total, take, skip);
    }
}
