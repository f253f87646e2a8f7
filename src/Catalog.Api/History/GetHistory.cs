using Catalog.Api.Hosting;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Projections.Queries;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

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
    [WolverineGet("/api/history/productions/{id}"), Tags("History"), EndpointSummary("A production's history")]
    [ProducesResponseType<HistoryPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static async Task<HistoryPage> Production(string id, string? include, int? limit, int? offset, CatalogReads reads, CancellationToken ct)
    {
        if (include is not (null or "" or "assets")) throw ApiProblem.BadRequest($"include '{include}' is not 'assets'.");
        var streams = await EventHistory.StreamsOfProductionAsync(reads, id, include == "assets", ct);
        return await Page(streams, $"production '{id}'", limit, offset, reads, ct);
    }

    [WolverineGet("/api/history/images/{id}"), Tags("History"), EndpointSummary("An image's history")]
    [ProducesResponseType<HistoryPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static Task<HistoryPage> Image(string id, int? limit, int? offset, CatalogReads reads, CancellationToken ct) =>
        Asset(AssetKind.Image, id, limit, offset, reads, ct);

    [WolverineGet("/api/history/videos/{id}"), Tags("History"), EndpointSummary("A video's history")]
    [ProducesResponseType<HistoryPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static Task<HistoryPage> Video(string id, int? limit, int? offset, CatalogReads reads, CancellationToken ct) =>
        Asset(AssetKind.Video, id, limit, offset, reads, ct);

    [WolverineGet("/api/history/audio/{id}"), Tags("History"), EndpointSummary("An audio track's history")]
    [ProducesResponseType<HistoryPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public static Task<HistoryPage> Audio(string id, int? limit, int? offset, CatalogReads reads, CancellationToken ct) =>
        Asset(AssetKind.Audio, id, limit, offset, reads, ct);

    /// <summary>
    /// The whole catalog's latest changes, newest first: <c>since</c> (ISO-8601) keeps those at or after an
    /// instant, <c>kind</c> (production, image, video, audio) one kind, <c>before</c> pages back by sequence.
    /// </summary>
    [WolverineGet("/api/history"), Tags("History"), EndpointSummary("The catalog's latest changes")]
    [ProducesResponseType<HistoryFeed>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static async Task<HistoryFeed> Feed(DateTimeOffset? since, string? kind, long? before, int? limit, CatalogReads reads, CancellationToken ct)
    {
        if (kind is not (null or "" or "production" or "image" or "video" or "audio"))
            throw ApiProblem.BadRequest($"kind '{kind}' is not one of: production, image, video, audio.");
        var take = Limit(limit);
        var items = await EventHistory.FeedAsync(reads, since, string.IsNullOrEmpty(kind) ? null : kind, before, take, ct);
        return new HistoryFeed(items, items.Count == take ? items[^1].Sequence : null);
    }

    private static Task<HistoryPage> Asset(AssetKind kind, string id, int? limit, int? offset, CatalogReads reads, CancellationToken ct)
    {
        if (!long.TryParse(id, out var assetId) || assetId <= 0)
            throw ApiProblem.BadRequest($"'{id}' is not the id of {kind.WithArticle()}: ids are positive integers.");
        return Page([StreamKeys.Asset(kind, assetId)], $"{kind.Name()} {assetId}", limit, offset, reads, ct);
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
