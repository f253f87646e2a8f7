using Catalog.Api.Hosting;
using Catalog.Domain.Assets;

namespace Catalog.Api.Http;

/// <summary>A page of a list: the items, how many there are in all, and the window asked for.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Limit, int Offset);

/// <summary>The query parameters every list shares, checked the same way everywhere.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary><c>limit</c> 1–200 (default 50), <c>offset</c> ≥ 0 (default 0); anything else is a 400.</summary>
    public static (int Limit, int Offset) Read(int? limit, int? offset, int maxLimit = MaxLimit)
    {
        var l = limit ?? DefaultLimit;
        var o = offset ?? 0;
        if (l < 1 || l > maxLimit) throw ApiProblem.BadRequest($"limit must be from 1 to {maxLimit}, not {l}.");
        if (o < 0) throw ApiProblem.BadRequest($"offset must be 0 or more, not {o}.");
        return (l, o);
    }

    /// <summary>The kind's <c>*_type</c> filter: any value (types are open; one nobody has gives an empty page), or absent.</summary>
    public static string? Type(string? type) => string.IsNullOrWhiteSpace(type) ? null : type.Trim();
}
