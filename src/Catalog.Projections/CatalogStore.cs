using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Weasel.Core;

namespace Catalog.Projections;

/// <summary>The one Marten configuration every host of the catalog uses: the API, the CLI, the tests.</summary>
public static class CatalogStore
{
    public const string SchemaName = "catalog";

    /// <summary>
    /// Marten's own stream of <c>tombstone</c> events: when a transaction that reserved event sequence numbers
    /// fails (a refused command), Marten fills the gap with tombstones so the async daemon never waits on it.
    /// They belong to no catalog stream and are never part of an asset's or production's history.
    /// </summary>
    public const string TombstoneStream = "mt_tombstone";

    /// <summary>The event header that holds why a change was made (the API's <c>X-Reason</c>, an import's source).</summary>
    public const string ReasonHeader = "reason";

    /// <summary>The event header naming the API key that acted for the event's user (<c>X-Actor</c> sent with a key that may act for others).</summary>
    public const string ViaHeader = "via";

    /// <summary>The clock a store was configured with (<see cref="ConfigureCatalog"/>): what decides a command run outside a
    /// host's own clock (the imports) uses it, so the facts in its events and the events' timestamps agree in every path.</summary>
    public static TimeProvider ClockOf(IDocumentStore store) => store.Options is StoreOptions options ? options.Events.TimeProvider : TimeProvider.System;

    /// <param name="clock">The catalog's clock: it stamps the events (their <c>timestamp</c>, which time travel and the
    /// history read) as it stamps the facts in them, so a test that sets the clock sets both.</param>
    public static StoreOptions ConfigureCatalog(this StoreOptions opts, string connectionString, TimeProvider? clock = null)
    {
        // The write side's statements (event appends, view upserts, the id sequences) prepared per connection: a small
        // import's PostgreSQL spent 14–30% less CPU (BENCHMARKS.md, "Prepared writes").
        opts.Connection(PreparedStatements.Prepared(connectionString, statements: 64).ConnectionString);
        opts.DatabaseSchemaName = SchemaName;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.Serializer(NewSerializer());

        // One stream per production ("production:{id}") and per asset ("image:{n}", …).
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        // Rich: versions and sequence numbers are known before the inline projections run (views carry the version).
        opts.Events.AppendMode = EventAppendMode.Rich;
        opts.Events.TimeProvider = clock ?? TimeProvider.System;
        // Who (user name), correlation and causation ids, and headers on every event. (EnableAll() leaves
        // the user name off in this Marten version, so each is switched on by name.)
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MapCatalogEventTypes();
        opts.Events.IgnoreIndex(QuerySchema.EventsTimestampIndex);
        opts.Events.IgnoreIndex(QuerySchema.PreviousEventsTimestampIndex);
        opts.Events.IgnoreIndex(QuerySchema.EventsProductionIndex);
        opts.Events.IgnoreIndex(QuerySchema.EventsPreviousProductionIndex);

        // Every commit waits ViewChanges.Settle before it returns: the read cache's readings of the version stay exact.
        opts.Listeners.Add(new ViewChanges.SettleAfterCommit());
        opts.Storage.ExtendedSchemaObjects.AddRange(AssetIdSequences.All(SchemaName));
        opts.ConfigureCatalogProjections();
        return opts;
    }

    /// <summary>
    /// The store's JSON serializer, for reading the views' rows without a store (the CLI's export): each store gets its own
    /// instance of the same configuration (<see cref="NewSerializer"/>).
    /// </summary>
    public static Marten.ISerializer Serializer { get; } = NewSerializer();

    /// <summary>System.Text.Json, enums as strings, snake_case, and <see cref="CatalogJson"/>'s conventions.</summary>
    private static Marten.Services.SystemTextJsonSerializer NewSerializer()
    {
        var serializer = new Marten.Services.SystemTextJsonSerializer { EnumStorage = EnumStorage.AsString, Casing = Casing.SnakeCase };
        serializer.Configure(CatalogJson.Configure);
        return serializer;
    }

    /// <summary>
    /// Brings the database up to this configuration: Marten's tables, functions, sequences and indexes,
    /// then what the catalog adds beside them (indexes on the events' timestamps and production ids, the view
    /// counts and their triggers). Idempotent; the API runs it at start, the CLI before it works.
    /// </summary>
    public static async Task ApplySchemaAsync(this IDocumentStore store, CancellationToken ct = default)
    {
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"drop index if exists {CatalogStore.SchemaName}.{QuerySchema.PreviousEventsTimestampIndex};\n" +
            $"create index if not exists {QuerySchema.EventsTimestampIndex} on {QuerySchema.Tables.Events} (timestamp) include (stream_id);\n" +
            $"create index if not exists {QuerySchema.EventsProductionIndex} on {QuerySchema.Tables.Events} ((data ->> 'production_id'));\n" +
            $"create index if not exists {QuerySchema.EventsPreviousProductionIndex} on {QuerySchema.Tables.Events} ((data ->> 'previous_production_id'));\n" +
            ViewCounts.Ddl() +
            SearchIndex.Ddl() +
            ActivityHours.Ddl() +
            ViewChanges.Ddl() +
            RenditionUrls() +
            $"create table if not exists {SchemaStateTable} (id int primary key, build text not null, applied_at timestamptz not null);\n" +
            $"insert into {SchemaStateTable} values (1, @build, now()) on conflict (id) do update set build = excluded.build, applied_at = excluded.applied_at;";
        command.Parameters.Add(new Npgsql.NpgsqlParameter("build", SchemaBuild));
        await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        await ViewChanges.SettleAsync(); // it may touch the views' rows
    }

    /// <summary>
    /// The views are stored in the API's shape and served as stored; rows written before the shape had
    /// <c>thumbnail_url</c>/<c>preview_url</c> get them here (once: only rows without them are touched).
    /// </summary>
    private static string RenditionUrls() => string.Concat(AssetKinds.All.Select(kind =>
        $"update {QuerySchema.Tables.Assets(kind.Kind)} set data = data || jsonb_build_object("
        + "'thumbnail_url', (data ->> 'media_url') || '/thumbnail', 'preview_url', (data ->> 'media_url') || '/preview') "
        + "where not data ? 'thumbnail_url';\n"));

    /// <summary>
    /// The CLI's start: whether the database was last brought up to date (<see cref="ApplySchemaAsync"/>) by this build of the
    /// catalog — one query, no store. Comparing every table, function and index with the configuration takes Marten a few
    /// hundred milliseconds, and building the store a fifth of a second: most of a short command's time. The CLI applies the
    /// schema only when this says no; the service applies it at every start.
    /// </summary>
    public static async Task<bool> SchemaIsCurrentAsync(string connectionString, CancellationToken ct = default)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        return await SchemaIsCurrentAsync(connection, ct);
    }

    /// <summary>As above, on the caller's connection (opened here when it is not yet).</summary>
    public static async Task<bool> SchemaIsCurrentAsync(Npgsql.NpgsqlConnection connection, CancellationToken ct = default)
    {
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"select build from {SchemaStateTable} where id = 1";
        try
        {
            return await command.ExecuteScalarAsync(ct) is string build && build == SchemaBuild;
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is "42P01" or "3F000") // no such table or schema yet
        {
            return false;
        }
    }

    /// <summary>The build whose configuration the schema was last applied from: this assembly's and Marten's identities.</summary>
    private static readonly string SchemaBuild =
        $"{typeof(CatalogStore).Assembly.ManifestModule.ModuleVersionId:N} marten {typeof(DocumentStore).Assembly.GetName().Version}";

    private const string SchemaStateTable = SchemaName + ".catalog_schema_state";

    /// <summary>The inline views, by projection name, in the order they are rebuilt.</summary>
    public static readonly IReadOnlyList<string> ViewProjections = ["production_view", "image_view", "video_view", "audio_view"];

    /// <summary>
    /// Rebuilds every view from the events with Marten's projection daemon (each view's rows are deleted,
    /// then every event is replayed through its projection); the view counts follow through their triggers.
    /// A maintenance operation: while it runs, lists are incomplete.
    /// </summary>
    public static async Task RebuildViewsAsync(this IDocumentStore store, CancellationToken ct = default)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        foreach (var projection in ViewProjections) await daemon.RebuildProjectionAsync(projection, ct);
        await ViewChanges.SettleAsync(); // the daemon's commits, as any session's
    }

    /// <summary>
    /// Every projection, with its lifecycle. The write side's state is folded live from its stream on each
    /// command (never stored); the views are inline, so a command's response already sees its change.
    /// A document's identity must be mapped before its projection is added.
    /// </summary>
    public static void ConfigureCatalogProjections(this StoreOptions opts)
    {
        opts.Schema.For<Production>().Identity(x => x.Key).DocumentAlias("production_state");
        opts.Projections.Add(new ProductionAggregation(), ProjectionLifecycle.Live);
        opts.Schema.For<ProductionView>()
            .DocumentAlias("production_view")
            .Duplicate(x => x.Status)
            .Duplicate(x => x.CreatedAt)
            // Lists: newest first (created_at, then id), optionally by status.
            .Index([x => x.Status, x => x.CreatedAt, x => x.Id], i => i.Name = "ix_production_view_status_created")
            .Index([x => x.CreatedAt, x => x.Id], i => i.Name = "ix_production_view_created")
            .FullTextIndex(i =>
            {
                i.Name = "ix_production_view_search";
                i.RegConfig = QuerySchema.SearchConfig;
                i.DocumentConfig = QuerySchema.ProductionText;
            });
        opts.Projections.Add<ProductionViewProjection>(ProjectionLifecycle.Inline);

        foreach (var kind in AssetKinds.All) kind.Accept(new AssetProjections(opts));
    }

    private sealed class AssetProjections(StoreOptions opts) : IAssetKindVisitor<bool>
    {
        public bool Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var kind = AssetKinds.Of<TMetadata>();
            opts.Schema.For<Asset<TMetadata>>().Identity(x => x.Key).DocumentAlias($"{kind.Name}_state");
            opts.Projections.Add(new AssetAggregation<TMetadata>(), ProjectionLifecycle.Live);

            // The unique filename index is what makes a second registration of a filename fail inside the
            // append's own transaction (the seed's UNIQUE), whatever races the pre-check lost.
            var view = opts.Schema.For<AssetView<TMetadata>>()
                .DocumentAlias($"{kind.Name}_view")
                .UniqueIndex(x => x.Filename)
                .Duplicate(x => x.Type)
                .Duplicate(x => x.CreatedAt)
                .Duplicate(x => x.ProductionId)
                .Duplicate(x => x.FileSize)
                // Lists: newest first (created_at, then id), optionally by type and/or production.
                .Index([x => x.Type, x => x.CreatedAt, x => x.Id], i => i.Name = $"ix_{kind.Name}_view_type_created")
                .Index([x => x.CreatedAt, x => x.Id], i => i.Name = $"ix_{kind.Name}_view_created")
                .Index([x => x.ProductionId!, x => x.CreatedAt, x => x.Id], i => i.Name = $"ix_{kind.Name}_view_production_created");
            opts.Projections.Add<AssetViewProjection<TMetadata>>(ProjectionLifecycle.Inline);
            return true;
        }
    }
}
