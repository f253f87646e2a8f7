using System.Text;
using System.Text.Json;
using Catalog.Api.Http;
using Catalog.Projections.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catalog.Api.Browsing;

/// <summary>The answer's shape, for the OpenAPI document: the items are the lists' items with <c>kind</c> and <c>rank</c>.</summary>
public sealed record SearchResponse(string Q, string Type, IReadOnlyList<JsonElement> Items, long Total, int Limit, int Offset);

public static class SearchEndpoint
{
    /// <summary><c>all</c>, or one target by its plural: images, videos, audio, productions.</summary>
    private static readonly Dictionary<string, IReadOnlyList<SearchTarget>> Scopes =
        new[] { KeyValuePair.Create("all", SearchTarget.All) }
            .Concat(SearchTarget.All.Select(t => KeyValuePair.Create(t.Scope, (IReadOnlyList<SearchTarget>)[t])))
            .ToDictionary();

    /// <summary>
    /// The seed's search: assets by their prompt, clip id, filename and their production's title and artist; productions
    /// by title and artist. Case-insensitive; every word must match (as a word prefix); best rank first, then newest.
    /// <c>type</c>: all (default), images, videos, audio, productions. Each item is the list item of its kind with
    /// <c>kind</c> and <c>rank</c>.
    /// </summary>
    public static async Task<ContentHttpResult> Get(string? q, string? type, int? limit, int? offset, IGallery gallery, CancellationToken ct)
    {
        var (take, skip) = Paging.Read(limit, offset);
        var scopeName = string.IsNullOrEmpty(type) ? "all" : type;
        if (!Scopes.TryGetValue(scopeName, out var scope))
            throw ApiProblem.BadRequest($"type '{type}' is not one of: {string.Join(", ", Scopes.Keys)}.");
        if (string.IsNullOrWhiteSpace(q)) throw ApiProblem.BadRequest("q is required: the words to look for.");
        if (q.Length > CatalogSearch.MaxLength) throw ApiProblem.BadRequest($"q is longer than {CatalogSearch.MaxLength} characters.");
        if (!CatalogSearch.HasWords(q)) throw ApiProblem.BadRequest("q has no words to look for (letters or digits).");

        var (items, total) = await gallery.SearchAsync(q, scope, take, skip, ct);

        var json = new StringBuilder(items.Length + 200).Append("{\"q\":").Append(JsonSerializer.Serialize(q))
            .Append(",\"type\":").Append(JsonSerializer.Serialize(scopeName))
            .Append(",\"items\":").Append(items)
            .Append(",\"total\":").Append(total).Append(",\"limit\":").Append(take).Append(",\"offset\":").Append(skip).Append('}');
        return TypedResults.Text(json.ToString(), "application/json; charset=utf-8");
    }
}
