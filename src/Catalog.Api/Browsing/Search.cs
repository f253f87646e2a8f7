using Catalog.Api.Assets;
using Catalog.Api.Hosting;
using Catalog.Api.Productions;
using Catalog.Domain.Assets;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Browsing;

/// <summary>One hit: which kind, its id, its rank, and the record itself under its kind's name.</summary>
public sealed record SearchHitResponse(string Kind, string Id, double Rank, ImageResponse? Image, VideoResponse? Video, ProductionView? Production);

public sealed record SearchResponse(string Q, string Type, IReadOnlyList<SearchHitResponse> Items, long Total, int Limit, int Offset);

public static class SearchEndpoint
{
    private static readonly Dictionary<string, SearchScope> Scopes = new()
    {
        ["all"] = SearchScope.All,
        ["images"] = SearchScope.Images,
        ["videos"] = SearchScope.Videos,
        ["productions"] = SearchScope.Productions,
    };

    /// <summary>
    /// The seed's search: image and video prompts, production titles and artists; case-insensitive; every
    /// word must match (as a word prefix); best rank first, then newest. <c>type</c>: all (default), images,
    /// videos, productions.
    /// </summary>
    [WolverineGet("/api/gallery/search"), Tags("Gallery"), EndpointSummary("Search prompts, titles and artists")]
    [ProducesResponseType<SearchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    public static async Task<SearchResponse> Get(string? q, string? type, int? limit, int? offset,
        IQuerySession session, CatalogReads reads, CancellationToken ct)
    {
        var (take, skip) = Paging.Read(limit, offset);
        var scopeName = string.IsNullOrEmpty(type) ? "all" : type;
        if (!Scopes.TryGetValue(scopeName, out var scope))
            throw ApiProblem.BadRequest($"type '{type}' is not one of: {string.Join(", ", Scopes.Keys)}.");
        if (string.IsNullOrWhiteSpace(q)) throw ApiProblem.BadRequest("q is required: the words to look for.");
        if (q.Length > CatalogSearch.MaxLength) throw ApiProblem.BadRequest($"q is longer than {CatalogSearch.MaxLength} characters.");
        if (!CatalogSearch.HasWords(q)) throw ApiProblem.BadRequest("q has no words to look for (letters or digits).");

        SearchResult result;
        await using (var connection = await reads.OpenAsync(ct))
        {
            result = await CatalogSearch.RunAsync(connection, q, scope, take, skip, ct);
        }

        // The records behind the hits; one found by the search but deleted before this read is left out.
        var imageIds = AssetIds(result, "image");
        var videoIds = AssetIds(result, "video");
        var productionIds = result.Hits.Where(h => h.Kind == "production").Select(h => h.Id).ToArray();
        var images = imageIds.Length == 0 ? [] : (await session.LoadManyAsync<AssetView<ImageMetadata>>(ct, imageIds)).ToDictionary(v => v.Id.ToString());
        var videos = videoIds.Length == 0 ? [] : (await session.LoadManyAsync<AssetView<VideoMetadata>>(ct, videoIds)).ToDictionary(v => v.Id.ToString());
        var productions = productionIds.Length == 0 ? [] : (await session.LoadManyAsync<ProductionView>(ct, productionIds)).ToDictionary(v => v.Id);

        var items = result.Hits.Select(hit => hit.Kind switch
            {
                "image" => images.TryGetValue(hit.Id, out var i) ? Hit(hit, image: AssetResponses.Image(i, null)) : null,
                "video" => videos.TryGetValue(hit.Id, out var v) ? Hit(hit, video: AssetResponses.Video(v, null)) : null,
                _ => productions.TryGetValue(hit.Id, out var p) ? Hit(hit, production: p) : null,
            })
            .OfType<SearchHitResponse>()
            .ToList();
        return new SearchResponse(q, scopeName, items, result.Total, take, skip);
    }

    private static SearchHitResponse Hit(SearchHit hit, ImageResponse? image = null, VideoResponse? video = null, ProductionView? production = null) =>
        new(hit.Kind, hit.Id, hit.Rank, image, video, production);

    private static long[] AssetIds(SearchResult result, string kind) =>
        result.Hits.Where(h => h.Kind == kind).Select(h => long.Parse(h.Id)).ToArray();
}
