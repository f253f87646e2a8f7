using System.Data;
using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Catalog.Projections;
using System.Runtime.CompilerServices;
using Marten;
using Npgsql;

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

    /// <summary>The source from a running store (the service): its connections, and the store itself for "as of".</summary>
    public static Task<ExportSource> OpenAsync(IDocumentStore store, string? productionId, DateTimeOffset? asOf, CancellationToken ct) =>
        OpenAsync(store.Storage.Database.CreateConnection, () => store, productionId, asOf, ct);

    /// <param name="connect">A new, unopened connection to the catalog's database: "now" reads the views through it alone.</param>
    /// <param name="store">The store, asked for only by "as of" (its event folds): the CLI builds Marten's configuration
    /// — a fifth of a second — only for a command that needs it.</param>
    public static async Task<ExportSource> OpenAsync(
        Func<NpgsqlConnection> connect, Func<IDocumentStore> store, string? productionId, DateTimeOffset? asOf, CancellationToken ct)
    {
        ExportSource source = asOf is { } instant
            ? await AtInstant.OpenAsync(store(), productionId, instant, ct)
            : await Now.OpenAsync(connect(), productionId, ct);
        if (productionId is not null && source.ProductionCount == 0)
        {
            await source.DisposeAsync();
            throw new ExportFailedException(asOf is { } at
                ? $"There was no production '{productionId}' at {at:O}."
                : $"There is no production '{productionId}'.");
        }
        return source;
    }

    /// <summary>
    /// The live views, read in one repeatable-read transaction: a consistent catalog however long the export runs. Plain SQL
    /// on one connection, each row's JSON read by the store's own serializer (<see cref="CatalogStore.Serializer"/>): a short
    /// export's start was mostly Marten's first-use costs (its configuration, its query handlers), none of which it needs.
    /// </summary>
    private sealed class Now(NpgsqlConnection connection, NpgsqlTransaction transaction, string? productionId) : ExportSource
    {
        private long _productions, _assets, _bytes;

        public override long ProductionCount => _productions;
        public override long AssetCount => _assets;
        public override long AssetBytes => _bytes;

        public static async Task<Now> OpenAsync(NpgsqlConnection connection, string? productionId, CancellationToken ct)
        {
            try
            {
                await connection.OpenAsync(ct);
                var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
                var source = new Now(connection, transaction, productionId);
                // The totals in one statement (the productions, then each kind's count and bytes), in the snapshot the rows are read from.
                var totals = new List<long>();
                await using (var command = source.Command(TotalsSql(productionId is not null)))
                await using (var reader = await command.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct)) totals.Add(reader.GetInt64(0));
                }
                source._productions = totals[0];
                for (var i = 0; i < AssetKinds.All.Count; i++)
                {
                    source._assets += totals[1 + 2 * i];
                    source._bytes += totals[2 + 2 * i];
                }
                return source;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        private static string TotalsSql(bool oneProduction)
        {
            string Where(string column) => oneProduction ? $" where {column} = @production" : "";
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

        private NpgsqlCommand Command(string sql)
        {
            var command = new NpgsqlCommand(sql, connection, transaction);
            if (productionId is not null) command.Parameters.AddWithValue("production", productionId);
            return command;
        }

        public override async Task<long> HighestIssuedIdAsync(AssetKind kind, CancellationToken ct)
        {
            await using var command = Command(AssetIdSequences.HighestIssuedSql(kind));
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }

        public override IAsyncEnumerable<ProductionView> Productions(CancellationToken ct) =>
            Rows<ProductionView>(QuerySchema.Tables.Productions, "id", ct);

        public override IAsyncEnumerable<AssetView<TMetadata>> Assets<TMetadata>(CancellationToken ct) =>
            Rows<AssetView<TMetadata>>(QuerySchema.Tables.Assets(TMetadata.Kind), QuerySchema.Columns.ProductionId, ct);

        private async IAsyncEnumerable<T> Rows<T>(string table, string productionColumn, [EnumeratorCancellation] CancellationToken ct)
        {
            await using var command = Command(productionId is null
                ? $"select data from {table} order by id"
                : $"select data from {table} where {productionColumn} = @production order by id");
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) yield return CatalogStore.Serializer.FromJson<T>(reader, 0);
        }

        public override async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
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
