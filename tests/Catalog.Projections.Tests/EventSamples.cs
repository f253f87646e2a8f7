using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using JasperFx.Events;

namespace Catalog.Projections.Tests;

/// <summary>One instance of every event type the catalog stores, to feed a view's fold.</summary>
public static class EventSamples
{
    public static readonly DateTimeOffset At = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private const string By = "alice";
    private static readonly StoredContent Content = new(new string('a', 64), 1234, "image/png");

    private static readonly Dictionary<Type, object> Production = new[]
    {
        (object)new ProductionCreated("prod_1", "Night Drive", "Van Williams", By, At),
        new ProductionImported("prod_1", "Night Drive", "Van Williams", "song.wav", 3.5, "completed", "{}", "{}", At, At, "file.json", By, At),
        new ProductionDetailsChanged("prod_1", "Day Drive", null, By, At),
        new ProductionAudioAttached("prod_1", 4, "song.wav", 3.5, By, At),
        new ProductionStoryboardReplaced("prod_1", "{\"s\":1}", By, At),
        new ProductionSettingsReplaced("prod_1", "{\"fps\":24}", By, At),
        new ProductionStatusChanged("prod_1", "draft", "generating", By, At),
        new ProductionTrashed("prod_1", By, At),
        new ProductionRestored("prod_1", "Night Drive", "Van Williams", 4, "song.wav", 3.5, "generating", "{}", "{}", At, By, At),
        new ProductionPurged("prod_1", By, At),
    }.ToDictionary(e => e.GetType());

    /// <summary>A sample of the event type, or null when there is none (a new event type nobody wrote a sample for).</summary>
    public static object? Of(Type type) =>
        Production.GetValueOrDefault(type) ??
        (type.IsGenericType && AssetKinds.All.SingleOrDefault(k => k.MetadataType == type.GetGenericArguments()[0]) is { } kind
            ? kind.Accept(new AssetSamples()).GetValueOrDefault(type)
            : null);

    /// <summary>The event as the event store hands it to a projection: at a version of its stream.</summary>
    public static IEvent Stored(object data, long version, string streamKey)
    {
        var e = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(data.GetType()), data)!;
        e.Version = version;
        e.StreamKey = streamKey;
        e.Timestamp = At;
        return e;
    }

    private sealed class AssetSamples : IAssetKindVisitor<Dictionary<Type, object>>
    {
        public Dictionary<Type, object> Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var kind = AssetKinds.Of<TMetadata>();
            var metadata = kind.Create(f => f.Name == kind.TypeField ? kind.WellKnownTypes[0] : f.Type == typeof(string) ? "text" : f.Type == typeof(int) ? (object)1 : 1.5);
            return new object[]
            {
                new AssetRegistered<TMetadata>(7, "file", "prod_1", metadata, Content, At, By, At),
                new AssetMetadataCorrected<TMetadata>(7, metadata, By, At),
                new AssetMovedToProduction<TMetadata>(7, "prod_2", "prod_1", By, At),
                new AssetDetachedFromProduction<TMetadata>(7, "prod_2", By, At),
                new AssetTrashed<TMetadata>(7, null, By, At),
                new AssetRestored<TMetadata>(7, "file", null, metadata, Content, At, By, At),
                new AssetPurged<TMetadata>(7, Content.Sha256, By, At),
            }.ToDictionary(e => e.GetType());
        }
    }
}
