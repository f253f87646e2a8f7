using System.Text.Json.Serialization;
using Catalog.Api.Http;
using Catalog.Domain.Assets;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Api.Browsing;

/// <summary>One hit: which kind, its id, its rank, and the record itself under its kind's name (the other kinds' names null).</summary>
public sealed record SearchHitResponse(string Kind, string Id, double Rank)
{
    /// <summary>The record under its kind's name (<c>image</c>, <c>video</c>, <c>production</c>), the others null.</summary>
    [JsonExtensionData]
    public IDictionary<string, object?> Record { get; init; } = new Dictionary<string, object?>();
}

public sealed record SearchResponse(string Q, string Type, IReadOnlyList<SearchHitResponse> Items, long Total, int Limit, int Offset);

public static class SearchEndpoint
{
    /// <summary><c>all</c>, or one target by its plural: images, videos, productions.</summary>
    private static readonly Dictionary<string, IReadOnlyList<SearchTarget>> Scopes =
        new[] { KeyValuePair.Create("all", SearchTarget.All) }
            .Concat(SearchTarget.All.Select(t => KeyValuePair.Create(t.Scope, (IReadOnlyList<SearchTarget>)[t])))
            .ToDictionary();

    /// <summary>
    /// The seed's search: image and video prompts, production titles and artists; case-insensitive; every word must
    /// match (as a word prefix); best rank first, then newest. <c>type</c>: all (default), images, videos, productions.
    /// </summary>
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
            result = await CatalogSearch.RunAsync(connection, q, scope, take, skip, ct);

        // The records behind the hits; one found by the search but deleted before this read is left out.
        var records = new Dictionary<(string Kind, string Id), object>();
        var productionIds = result.Hits.Where(h => h.Kind == "production").Select(h => h.Id).ToArray();
        if (productionIds.Length > 0)
            foreach (var production in await session.LoadManyAsync<ProductionView>(ct, productionIds)) records[("production", production.Id)] = production;
        foreach (var kind in AssetKinds.All.Where(k => k.Prompt is not null))
        {
            var ids = result.Hits.Where(h => h.Kind == kind.Name).Select(h => long.Parse(h.Id)).ToArray();
            if (ids.Length > 0)
                foreach (var (id, view) in await kind.Accept(new LoadViews(session, ids, ct))) records[(kind.Name, id.ToString())] = view;
        }

        var names = SearchTarget.All.Select(t => t.Kind).ToList();
        var items = result.Hits
            .Where(hit => records.ContainsKey((hit.Kind, hit.Id)))
            .Select(hit => new SearchHitResponse(hit.Kind, hit.Id, hit.Rank)
            {
                Record = names.ToDictionary(name => name, name => name == hit.Kind ? records[(hit.Kind, hit.Id)] : null),
            })
            .ToList();
        return new SearchResponse(q, scopeName, items, result.Total, take, skip);
    }

    private sealed record LoadViews(IQuerySession Session, long[] Ids, CancellationToken Ct) : IAssetKindVisitor<Task<IEnumerable<(long, object)>>>
    {
        public async Task<IEnumerable<(long, object)>> Visit<TMetadata>() where TMetadata : IAssetMetadata =>
            (await Session.LoadManyAsync<AssetView<TMetadata>>(Ct, Ids)).Select(v => (v.Id, (object)v));
    }
}
