using System.Data;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Catalog.Projections;
using Marten;

namespace Catalog.Exporter;

/// <summary>
/// What an export writes: the live productions and assets (all, or one production's) — from the views in
/// one repeatable-read snapshot for "now", or from the events folded up to an instant for "as of".
/// Metadata only; the bytes come from the blob store. Rows come in id order.
/// </summary>
public abstract class ExportSource : IAsyncDisposable
{
    public abstract long ProductionCount { get; }
    public abstract long AssetCount { get; }
    public abstract long AssetBytes { get; }

    /// <summary>
    /// The highest id the kind had handed out (deleted assets included): the export's sqlite_sequence, so an
    /// application that goes on using the file never hands out an id the catalog already used.
    /// </summary>
    public abstract Task<long> HighestIssuedIdAsync(AssetKind kind, CancellationToken ct);

    public abstract IAsyncEnumerable<ProductionView> Productions(CancellationToken ct);
    public abstract IAsyncEnumerable<AssetView<TMetadata>> Assets<TMetadata>(CancellationToken ct) where TMetadata : IAssetMetadata;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static async Task<ExportSource> OpenAsync(IDocumentStore store, string? productionId, DateTimeOffset? asOf, CancellationToken ct)
    {
        ExportSource source = asOf is { } instant
            ? await AtInstant.OpenAsync(store, productionId, instant, ct)
            : await Now.OpenAsync(store, productionId, ct);
        if (productionId is not null && source.ProductionCount == 0)
        {
            await source.DisposeAsync();
            throw new ExportFailedException(asOf is { } at
                ? $"There was no production '{productionId}' at {at:O}."
                : $"There is no production '{productionId}'.");
        }
        return source;
    }

    /// <summary>The live views, read in one repeatable-read transaction: a consistent catalog however long the export runs.</summary>
    private sealed class Now(IDocumentSession session, string? productionId) : ExportSource
    {
        private long _productions, _assets, _bytes;

        public override long ProductionCount => _productions;
        public override long AssetCount => _assets;
        public override long AssetBytes => _bytes;

        public static async Task<Now> OpenAsync(IDocumentStore store, string? productionId, CancellationToken ct)
        {
            var session = store.LightweightSession(IsolationLevel.RepeatableRead);
            var source = new Now(session, productionId);
            // The totals in one statement (the productions, then each kind's count and bytes), in the snapshot the rows are read from.
            var sql = TotalsSql(productionId is not null);
            var totals = await session.QueryAsync<long>(sql, ct, productionId is null ? [] : Enumerable.Repeat<object>(productionId, sql.Count(c => c == '?')).ToArray());
            source._productions = totals[0];
            for (var i = 0; i < AssetKinds.All.Count; i++)
            {
                source._assets += totals[1 + 2 * i];
                source._bytes += totals[2 + 2 * i];
            }
            return source;
        }

        private static string TotalsSql(bool oneProduction)
        {
            string Where(string column) => oneProduction ? $" where {column} = ?" : "";
            var parts = new List<string> { $"(select count(*) from {QuerySchema.Tables.Productions}{Where("id")})" };
            foreach (var kind in AssetKinds.All)
            {
                var table = QuerySchema.Tables.Assets(kind.Kind);
                var where = Where(QuerySchema.Columns.ProductionId);
                parts.Add($"(select count(*) from {table}{where})");
                parts.Add($"(select coalesce(sum({QuerySchema.Columns.FileSize}), 0)::bigint from {table}{where})");
            }
            return $"select t.n from unnest(array[{string.Join(", ", parts)}]) with ordinality as t(n, i) order by t.i";
        }

        public override Task<long> HighestIssuedIdAsync(AssetKind kind, CancellationToken ct) =>
            AssetIdSequences.HighestIssuedAsync(session, kind, ct);

        // The rows by plain SQL (Marten's row shape for a document in a lightweight session: id, data, mt_version), not LINQ: a short
        // export's start is mostly first-use costs, and the LINQ provider's is the largest of them.
        public override IAsyncEnumerable<ProductionView> Productions(CancellationToken ct) =>
            Rows<ProductionView>(QuerySchema.Tables.Productions, "id", ct);

        public override IAsyncEnumerable<AssetView<TMetadata>> Assets<TMetadata>(CancellationToken ct) =>
            Rows<AssetView<TMetadata>>(QuerySchema.Tables.Assets(TMetadata.Kind), QuerySchema.Columns.ProductionId, ct);

        private IAsyncEnumerable<T> Rows<T>(string table, string productionColumn, CancellationToken ct) => productionId is null
            ? session.AdvancedSql.StreamAsync<T>($"select id, data, mt_version from {table} order by id", ct)
            : session.AdvancedSql.StreamAsync<T>($"select id, data, mt_version from {table} where {productionColumn} = ? order by id", ct, productionId);

        public override async ValueTask DisposeAsync() => await session.DisposeAsync();
    }

    /// <summary>
    /// The catalog as it was at an instant, rebuilt from the events one stream at a time with the views' own folds
    /// (<see cref="CatalogAtInstant"/>): memory holds one production or asset, however large the catalog. The totals come
    /// from a first pass over the same events.
    /// </summary>
    private sealed class AtInstant(IQuerySession session, string? productionId, DateTimeOffset instant) : ExportSource
    {
        private long _productions, _assets, _bytes;

        public override long ProductionCount => _productions;
        public override long AssetCount => _assets;
        public override long AssetBytes => _bytes;

        public static async Task<AtInstant> OpenAsync(IDocumentStore store, string? productionId, DateTimeOffset instant, CancellationToken ct)
        {
            var source = new AtInstant(store.QuerySession(), productionId, instant);
            await foreach (var _ in source.Productions(ct)) source._productions++;
            foreach (var kind in AssetKinds.All)
            {
                var (count, bytes) = await kind.Accept(new KindTotals(source, ct));
                source._assets += count;
                source._bytes += bytes;
            }
            return source;
        }

        private sealed record KindTotals(AtInstant Source, CancellationToken Ct) : IAssetKindVisitor<Task<(long Count, long Bytes)>>
        {
            public async Task<(long Count, long Bytes)> Visit<TMetadata>() where TMetadata : IAssetMetadata
            {
                long count = 0, bytes = 0;
                await foreach (var asset in Source.Assets<TMetadata>(Ct))
                {
                    count++;
                    bytes += asset.FileSize;
                }
                return (count, bytes);
            }
        }

        public override Task<long> HighestIssuedIdAsync(AssetKind kind, CancellationToken ct) =>
            CatalogAtInstant.HighestIssuedIdAt(session, kind, instant, ct);

        public override IAsyncEnumerable<ProductionView> Productions(CancellationToken ct) =>
            CatalogAtInstant.ProductionsAt(session, instant, ct).Where(p => productionId is null || p.Id == productionId);

        public override IAsyncEnumerable<AssetView<TMetadata>> Assets<TMetadata>(CancellationToken ct) =>
            CatalogAtInstant.AssetsAt<TMetadata>(session, instant, ct).Where(a => productionId is null || a.ProductionId == productionId);

        public override async ValueTask DisposeAsync() => await session.DisposeAsync();
    }
}
