using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Queries;
using Microsoft.Data.Sqlite;

namespace Catalog.Exporter.Portable;

/// <summary>
/// What portable mode keeps in memory of an <c>assets.db</c>'s metadata (never its bytes): each table's order (which rows a
/// list page holds, and its total), the search index and the figures of the stats, read in one pass over the tables (without <c>binary_data</c>) and read again when the file changes.
/// </summary>
public sealed class PortableSnapshot
{
    /// <summary>The file's length and last write when this was read.</summary>
    public required string Stamp { get; init; }

    public required PortableSearch Search { get; init; }

    /// <summary>Each table's rows newest first (created_at as the instant it names, then id, both descending), and per type/status and production.</summary>
    private Dictionary<string, ListOrder> Orders { get; init; } = [];

    /// <summary>
    /// The ids of one page of a table (images, videos, audio, productions), newest first, with the total: rows of one
    /// group (<c>*_type</c>, or a production's status) and/or of one production; null is any.
    /// </summary>
    public (IReadOnlyList<string> Ids, long Total) Page(string table, string? group, string? productionId, int limit, int offset)
    {
        var order = Orders[table];
        IReadOnlyList<int> rows = productionId is not null ? order.OfProduction.GetValueOrDefault(productionId, [])
            : group is not null ? order.OfGroup.GetValueOrDefault(group, [])
            : order.All;
        if (productionId is not null && group is not null) rows = rows.Where(r => order.Groups[r] == group).ToList();
        return (rows.Skip(offset).Take(limit).Select(r => order.Ids[r]).ToList(), rows.Count);
    }

    /// <summary>One table's order: <see cref="All"/> holds row numbers newest first; the others the same, per group and production.</summary>
    private sealed class ListOrder
    {
        public string[] Ids { get; }
        public string[] Groups { get; }
        public int[] All { get; }
        public Dictionary<string, int[]> OfGroup { get; }
        public Dictionary<string, int[]> OfProduction { get; }

        public ListOrder(List<(string Id, string Group, string? ProductionId, DateTimeOffset At, long Number)> rows)
        {
            Ids = rows.Select(r => r.Id).ToArray();
            Groups = rows.Select(r => r.Group).ToArray();
            All = Enumerable.Range(0, rows.Count)
                .OrderByDescending(i => rows[i].At).ThenByDescending(i => rows[i].Number).ThenByDescending(i => rows[i].Id, StringComparer.Ordinal).ToArray();
            OfGroup = All.GroupBy(i => Groups[i], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray());
            OfProduction = All.Where(i => rows[i].ProductionId is not null)
                .GroupBy(i => rows[i].ProductionId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray());
        }
    }

    private Dictionary<string, Dictionary<string, TypeTotals>> Kinds { get; init; } = [];
    private Dictionary<string, long> ByStatus { get; init; } = [];

    /// <summary>Every row's created_at, oldest first: how many were made in the last day and week.</summary>
    private DateTimeOffset[] Created { get; init; } = [];

    /// <summary>The newest rows, as activity lines (<c>image.registered</c>, <c>production.created</c>).</summary>
    private List<ActivityEntry> Latest { get; init; } = [];

    public static PortableSnapshot Read(SqliteConnection db, string directory, string stamp)
    {
        var documents = new List<PortableSearch.Document>();
        var created = new List<(DateTimeOffset At, string Kind, string Id, string Event)>();
        var productions = new Dictionary<string, string>(StringComparer.Ordinal);
        var byStatus = ProductionStatus.All.ToDictionary(s => s, _ => 0L);
        var orders = new Dictionary<string, ListOrder>();
        var listed = new List<(string Id, string Group, string? ProductionId, DateTimeOffset At, long Number)>();

        using (var command = db.CreateCommand())
        {
            command.CommandText = "select id, title, artist, created_at, coalesce(status, 'draft') from productions";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetString(0);
                var text = $"{Text(reader, 1)} {Text(reader, 2)}";
                var at = PortableCatalog.Timestamp(Text(reader, 3));
                productions[id] = text;
                byStatus[reader.GetString(4)] = byStatus.GetValueOrDefault(reader.GetString(4)) + 1;
                documents.Add(new("production", id, 0, at, PortableSearch.Words(text)));
                created.Add((at, "production", id, "production.created"));
                listed.Add((id, reader.GetString(4), null, at, 0));
            }
        }
        orders["productions"] = new ListOrder(listed);

        var kinds = new Dictionary<string, Dictionary<string, TypeTotals>>();
        foreach (var kind in AssetKinds.All)
        {
            var byType = kind.WellKnownTypes.ToDictionary(t => t, _ => new TypeTotals(0, 0));
            listed = [];
            var texts = new[] { "prompt", "clip_id" }.Where(c => kind.Fields.Any(f => f.Name == c)).Append("filename").ToList();
            using var command = db.CreateCommand();
            command.CommandText = $"select id, production_id, created_at, trim({kind.TypeField}), coalesce(file_size, length(binary_data)), "
                                  + $"{string.Join(" || ' ' || ", texts.Select(c => $"coalesce({c}, '')"))}, filename from {kind.Table}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                var at = PortableCatalog.Timestamp(Text(reader, 2));
                var type = Text(reader, 3) ?? "";
                var totals = byType.GetValueOrDefault(type) ?? new TypeTotals(0, 0);
                // No file_size and no BLOB: the size of the file beside, when there is one.
                var bytes = !reader.IsDBNull(4) ? reader.GetInt64(4)
                    : AssetsDbContent.Beside(directory, kind.Table, reader.GetString(6), out _) is { } beside ? new FileInfo(beside).Length : 0;
                byType[type] = new TypeTotals(totals.Count + 1, totals.Bytes + bytes);
                var production = reader.IsDBNull(1) ? "" : productions.GetValueOrDefault(reader.GetString(1), "");
                documents.Add(new(kind.Name, id.ToString(CultureInfo.InvariantCulture), id, at, PortableSearch.Words($"{reader.GetString(5)} {production}")));
                created.Add((at, kind.Name, id.ToString(CultureInfo.InvariantCulture), $"{kind.Name}.registered"));
                listed.Add((id.ToString(CultureInfo.InvariantCulture), type, reader.IsDBNull(1) ? null : reader.GetString(1), at, id));
            }
            kinds[kind.Table] = byType;
            orders[kind.Table] = new ListOrder(listed);
        }

        return new PortableSnapshot
        {
            Stamp = stamp,
            Search = new PortableSearch(documents),
            Orders = orders,
            Kinds = kinds,
            ByStatus = byStatus,
            Created = created.Select(c => c.At).Order().ToArray(),
            Latest = created.OrderByDescending(c => c.At).ThenBy(c => c.Kind, StringComparer.Ordinal).Take(CatalogStatistics.LatestActivity)
                .Select(c => new ActivityEntry(0, c.Kind, c.Id, c.Event, c.At, null)).ToList(),
        };
    }

    public CatalogStats Stats(DateTimeOffset now)
    {
        var kinds = Kinds.ToDictionary(k => k.Key, k => (object)new KindTotals(k.Value.Values.Sum(t => t.Count), k.Value.Values.Sum(t => t.Bytes), k.Value));
        return new CatalogStats(
            new ProductionTotals(ByStatus.Values.Sum(), ByStatus),
            kinds.Values.Cast<KindTotals>().Sum(k => k.Bytes),
            new ActivitySummary(Since(now.AddHours(-24)), Since(now.AddDays(-7)), Latest),
            now) { Kinds = kinds };
    }

    private long Since(DateTimeOffset from)
    {
        var i = Array.BinarySearch(Created, from);
        if (i < 0) i = ~i;
        else while (i > 0 && Created[i - 1] == from) i--;
        return Created.Length - i;
    }

    private static string? Text(SqliteDataReader row, int i) => PortableCatalog.Text(row, i);
}

/// <summary>
/// Portable mode's search, in memory: every row's words (an asset's prompt, clip id and filename with its production's
/// title and artist; a production's title and artist), lower-cased, in a sorted word list with the rows each word is in.
/// Every word asked for must begin a word of the row ("will" finds "Williams"), case-insensitive, words as written (no
/// stemming). Rank: the share of the row's words that match; then newest first.
/// </summary>
public sealed partial class PortableSearch
{
    /// <param name="Kind">production, image, video or audio.</param>
    /// <param name="Number">The asset's id, for ordering (0 for a production).</param>
    public sealed record Document(string Kind, string Id, long Number, DateTimeOffset CreatedAt, string[] Words);

    public sealed record Hit(string Kind, string Id, double Rank);

    private readonly List<Document> _documents;
    private readonly string[] _words;
    private readonly int[][] _postings;

    public PortableSearch(List<Document> documents)
    {
        _documents = documents;
        var postings = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var d = 0; d < documents.Count; d++)
        {
            foreach (var word in documents[d].Words.Distinct())
            {
                if (!postings.TryGetValue(word, out var list)) postings[word] = list = [];
                list.Add(d);
            }
        }
        _words = [.. postings.Keys];
        _postings = [.. postings.Values.Select(l => l.ToArray())];
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    public static string[] Words(string text) => Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToArray();

    /// <param name="kinds">The kinds looked in (production, image, video, audio).</param>
    public (List<Hit> Page, long Total) Find(string text, IReadOnlyCollection<string> kinds, int limit, int offset)
    {
        var terms = Words(text).Distinct().ToList();
        BitArray? found = null;
        foreach (var term in terms)
        {
            var rows = new BitArray(_documents.Count);
            for (var w = LowerBound(term); w < _words.Length && _words[w].StartsWith(term, StringComparison.Ordinal); w++)
                foreach (var d in _postings[w]) rows[d] = true;
            found = found is null ? rows : found.And(rows);
        }

        var hits = new List<(Document Document, double Rank)>();
        if (found is not null)
        {
            for (var d = 0; d < _documents.Count; d++)
            {
                if (!found[d] || !kinds.Contains(_documents[d].Kind)) continue;
                var words = _documents[d].Words;
                var matching = words.Count(w => terms.Any(t => w.StartsWith(t, StringComparison.Ordinal)));
                hits.Add((_documents[d], (double)matching / words.Length));
            }
        }
        var page = hits.OrderByDescending(h => h.Rank).ThenByDescending(h => h.Document.CreatedAt)
            .ThenBy(h => h.Document.Kind, StringComparer.Ordinal).ThenBy(h => h.Document.Number).ThenBy(h => h.Document.Id, StringComparer.Ordinal)
            .Skip(offset).Take(limit).Select(h => new Hit(h.Document.Kind, h.Document.Id, h.Rank)).ToList();
        return (page, hits.Count);
    }

    private int LowerBound(string term)
    {
        var (lo, hi) = (0, _words.Length);
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (string.CompareOrdinal(_words[mid], term) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
