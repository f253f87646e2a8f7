using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Catalog.Projections;

/// <summary>
/// Live aggregations of the write-side state, for <c>FetchForWriting</c>: Marten folds a stream's events
/// with the domain's own pure <c>Evolve</c>, so the domain stays free of Marten.
/// </summary>
public sealed class ProductionAggregation : SingleStreamProjection<Production, string>
{
    public override Production? Evolve(Production? snapshot, string id, IEvent e) => Production.Evolve(snapshot, e.Data);
}

/// <inheritdoc cref="ProductionAggregation"/>
public sealed class AssetAggregation<TMetadata> : SingleStreamProjection<Asset<TMetadata>, string>
    where TMetadata : IAssetMetadata
{
    public AssetAggregation() => Name = $"{TMetadata.Kind.Name()}_aggregate";

    public override Asset<TMetadata>? Evolve(Asset<TMetadata>? snapshot, string id, IEvent e) => Asset<TMetadata>.Evolve(snapshot, e.Data);
}
