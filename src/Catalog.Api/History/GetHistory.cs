using Catalog.Api.Http;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Projections.Queries;

namespace Catalog.Api.History;

/// <summary>A stream's history (or a production's with its assets'), oldest first, one page and the total.</summary>
public sealed record HistoryPage(IReadOnlyList<string> Streams, IReadOnlyList<HistoryEntry> Items, long Total, int Limit, int Offset);

/// <summary>The catalog's latest changes, newest first; ask again with <c>before=next_before</c> for older ones.</summary>
public sealed record HistoryFeed(IReadOnlyList<HistoryEntry> Items, long? NextBefore);

/// <summary>
/// Auditing: every event of a production or an asset — deleted ones too, their history stays — with its
/// version, catalog sequence, stored name, UTC timestamp, who, why, correlation and causation ids and data.
/// </summary>
public static class GetHistoryEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>A production's events; with <c>include=assets</c>, merged in order with the events of every asset that was ever in it.</summary>
    public static async Task<HistoryPage> Production(string id, string? include, int? limit, int? offset, CatalogReads reads, CancellationToken ct)
    {
        if (include is not (null or "" or "assets")) throw ApiProblem.BadRequest($"include '{include}' is not 'assets'.");
        var streams = await EventHistory.StreamsOfProductionAsync(reads, id, include == "assets", ct);
        return await Page(streams, $"production '{id}'", limit, offset, reads, ct);
    }




    /// <summary>
    /// The whole catalog's latest changes, newest first: <c>since</c> (ISO-8601) keeps those at or after an
    /// instant, <c>kind</c> (production, image, video, audio) one kind, <c>before</c> pages back by sequence.
    /// </summary>
    public static async Task<HistoryFeed> Feed(DateTimeOffset? since, string? kind, long? before, int? limit, CatalogReads reads, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(kind) && kind != "production" && !AssetKinds.All.Any(k => k.Name == kind))
            throw ApiProblem.BadRequest($"kind '{kind}' is not one of: production, {string.Join(", ", AssetKinds.All.Select(k => k.Name))}.");
        var take = Limit(limit);
        var items = await EventHistory.FeedAsync(reads, since, string.IsNullOrEmpty(kind) ? null : kind, before, take, ct);
        return new HistoryFeed(items, items.Count == take ? items[^1].Sequence : null);
    }

    /// <summary>An asset's events.</summary>
    public static Task<HistoryPage> Asset<TMetadata>(string id, int? limit, int? offset, CatalogReads reads, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        var assetId = Routes.AssetId<TMetadata>(id);
        return Page([Catalog.Domain.Assets.Asset<TMetadata>.StreamKey(assetId)], $"{TMetadata.Kind.Name()} {assetId}", limit, offset, reads, ct);
    }

    private static async Task<HistoryPage> Page(IReadOnlyList<string> streams, string what, int? limit, int? offset, CatalogReads reads, CancellationToken ct)
    {
        var take = Limit(limit);
        var skip = offset ?? 0;
        if (skip < 0) throw ApiProblem.BadRequest($"offset must be 0 or more, not {skip}.");
        var (items, total) = await EventHistory.OfStreamsAsync(reads, streams, take, skip, ct);
        if (total == 0) throw DomainException.NotFound($"There is no history of {what}: it never existed.");
        return new HistoryPage(streams, items, total, take, skip);
    }

    private static int Limit(int? limit) => limit switch
    {
        null => DefaultLimit,
        < 1 or > MaxLimit => throw ApiProblem.BadRequest($"limit must be from 1 to {MaxLimit}, not {limit}."),
        _ => limit.Value,
    };
}
