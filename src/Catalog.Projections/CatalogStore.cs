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

    public static StoreOptions ConfigureCatalog(this StoreOptions opts, string connectionString)
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = SchemaName;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.SnakeCase);

        // One stream per production ("production:{id}") and per asset ("image:{n}", …).
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        // Rich: versions and sequence numbers are known before the inline projections run (views carry the version).
        opts.Events.AppendMode = EventAppendMode.Rich;
        // Who (user name), correlation and causation ids, and headers on every event. (EnableAll() leaves
        // the user name off in this Marten version, so each is switched on by name.)
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MapCatalogEventTypes();

        opts.Storage.ExtendedSchemaObjects.AddRange(AssetIds.Sequences(SchemaName));
        opts.ConfigureCatalogProjections();
        return opts;
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
        opts.Schema.For<ProductionView>().DocumentAlias("production_view");
        opts.Projections.Add<ProductionViewProjection>(ProjectionLifecycle.Inline);

        opts.AddAssetProjections<ImageMetadata>();
        opts.AddAssetProjections<VideoMetadata>();
        opts.AddAssetProjections<AudioMetadata>();
    }

    private static void AddAssetProjections<TMetadata>(this StoreOptions opts) where TMetadata : IAssetMetadata
    {
        var kind = TMetadata.Kind.Name();
        opts.Schema.For<Asset<TMetadata>>().Identity(x => x.Key).DocumentAlias($"{kind}_state");
        opts.Projections.Add(new AssetAggregation<TMetadata>(), ProjectionLifecycle.Live);

        // The unique filename index is what makes a second registration of a filename fail inside the
        // append's own transaction (the seed's UNIQUE), whatever races the pre-check lost.
        opts.Schema.For<AssetView<TMetadata>>()
            .DocumentAlias($"{kind}_view")
            .UniqueIndex(x => x.Filename)
            .Index(x => x.ProductionId);
        opts.Projections.Add<AssetViewProjection<TMetadata>>(ProjectionLifecycle.Inline);
    }
}
