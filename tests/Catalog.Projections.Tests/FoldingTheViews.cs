using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using JasperFx.Events;
using static Catalog.Projections.Tests.EventSamples;

namespace Catalog.Projections.Tests;

/// <summary>
/// The views' folds — what Marten runs inline for the live views and time travel runs for the past — fed events
/// directly, no database.
/// </summary>
public sealed class FoldingTheViews
{
    private static readonly ImageMetadata Metadata = new("generated", "c1", "Van Williams", "64x36", "txt2img", 7.5, 30);
    private static readonly StoredContent Png = new(new string('a', 64), 1234, "image/png");
    private static readonly DateTimeOffset Later = At.AddHours(1);

    private static AssetView<ImageMetadata>? Image(params object[] events) =>
        events.Select((data, i) => Stored(data, i + 1, "image:7")).Aggregate((AssetView<ImageMetadata>?)null, AssetViewProjection<ImageMetadata>.Fold);

    private static ProductionView? Production(params object[] events) =>
        events.Select((data, i) => Stored(data, i + 1, "production:prod_1")).Aggregate((ProductionView?)null, ProductionViewProjection.Fold);

    private static readonly AssetRegistered<ImageMetadata> Registered = new(7, "frame.png", "prod_1", Metadata, Png, At, "alice", At);
    private static readonly ProductionCreated Created = new("prod_1", "Night Drive", "Van Williams", "alice", At);

    public static TheoryData<string> StoredEventTypes() => [.. EventNames.All.Select(e => e.Name)];

    /// <summary>A new event type mapped in the store and left out of its view's fold fails here (and its sample must be written).</summary>
    [Theory]
    [MemberData(nameof(StoredEventTypes))]
    public void every_stored_event_type_has_a_rule_in_its_views_fold(string name)
    {
        var type = EventNames.All.Single(e => e.Name == name).Type;
        var sample = EventSamples.Of(type);
        Assert.True(sample is not null, $"No sample of {type.Name} in EventSamples: write one, and a rule in its view's fold.");

        var exception = Record.Exception(() =>
        {
            if (sample is IProductionEvent) Production(Created, sample);
            else AssetKinds.All.Single(k => k.MetadataType == type.GetGenericArguments()[0]).Accept(new FoldAfterRegistration(sample));
        });
        Assert.Null(exception);
    }

    [Fact]
    public void an_event_the_fold_has_no_rule_for_is_an_error_not_skipped() =>
        Assert.Throws<UnhandledEventException>(() => AssetViewProjection<ImageMetadata>.Fold(Image(Registered), Stored(Created, 2, "image:7")));

    [Fact]
    public void a_registration_makes_the_row_with_the_kinds_type_and_the_streams_version() =>
        Assert.Equal(new AssetView<ImageMetadata>(7, "frame.png", "prod_1", "generated", Metadata, Png.Sha256, 1234, "image/png", At, At, 1), Image(Registered));

    [Fact]
    public void a_correction_changes_the_metadata_the_type_and_updated_at()
    {
        var view = Image(Registered, new AssetMetadataCorrected<ImageMetadata>(7, Metadata with { ImageType = "reference" }, "bob", Later))!;
        Assert.Equal(("reference", "reference", Later, 2L), (view.Type, view.Metadata.ImageType, view.UpdatedAt, view.StreamVersion));
    }

    [Fact]
    public void a_move_and_a_detach_change_the_production() =>
        Assert.Equal([("prod_2", 2L), (null, 3L)], new[]
        {
            Image(Registered, new AssetMovedToProduction<ImageMetadata>(7, "prod_2", "prod_1", "bob", Later))!,
            Image(Registered, new AssetMovedToProduction<ImageMetadata>(7, "prod_2", "prod_1", "bob", Later), new AssetDetachedFromProduction<ImageMetadata>(7, "prod_2", "bob", Later))!,
        }.Select(v => (v.ProductionId, v.StreamVersion)));

    [Fact]
    public void the_trash_removes_the_row() => Assert.Null(Image(Registered, new AssetTrashed<ImageMetadata>(7, null, "bob", Later)));

    [Fact]
    public void a_restore_brings_the_row_back_from_the_facts_it_carries() =>
        Assert.Equal(new AssetView<ImageMetadata>(7, "frame.png", null, "generated", Metadata, Png.Sha256, 1234, "image/png", At, Later, 3),
            Image(Registered, new AssetTrashed<ImageMetadata>(7, null, "bob", Later), new AssetRestored<ImageMetadata>(7, "frame.png", null, Metadata, Png, At, "bob", Later)));

    [Fact]
    public void a_change_before_any_registration_makes_no_row() =>
        Assert.Null(Image(new AssetMetadataCorrected<ImageMetadata>(7, Metadata, "bob", Later)));

    [Fact]
    public void a_created_production_is_a_draft() =>
        Assert.Equal(new ProductionView("prod_1", "Night Drive", "Van Williams", null, null, At, At, ProductionStatus.Draft, null, null, null, 1), Production(Created));

    [Fact]
    public void an_imported_production_keeps_its_row_as_it_was() =>
        Assert.Equal(new ProductionView("prod_1", "Night Drive", "Van Williams", "song.wav", 3.5, At, Later, "completed", "{}", null, null, 1),
            Production(new ProductionImported("prod_1", "Night Drive", "Van Williams", "song.wav", 3.5, "completed", "{}", null, At, Later, "f.json", "alice", At)));

    [Fact]
    public void status_audio_and_documents_change_the_row_and_updated_at()
    {
        var view = Production(Created, new ProductionStatusChanged("prod_1", "draft", "generating", "bob", Later),
            new ProductionAudioAttached("prod_1", 4, "song.wav", 3.5, "bob", Later), new ProductionStoryboardReplaced("prod_1", "{\"s\":1}", "bob", Later))!;
        Assert.Equal(("generating", 4L, "song.wav", "{\"s\":1}", Later, 4L), (view.Status, view.AudioId!.Value, view.AudioFilename!, view.StoryboardJson!, view.UpdatedAt, view.StreamVersion));
    }

    [Fact]
    public void a_deleted_production_has_no_row() => Assert.Null(Production(Created, new ProductionTrashed("prod_1", "bob", Later)));

    private sealed class FoldAfterRegistration(object sample) : IAssetKindVisitor<bool>
    {
        public bool Visit<TMetadata>() where TMetadata : IAssetMetadata
        {
            var registered = EventSamples.Of(typeof(AssetRegistered<TMetadata>))!;
            var view = AssetViewProjection<TMetadata>.Fold(null, Stored(registered, 1, "x:7"));
            AssetViewProjection<TMetadata>.Fold(view, Stored(sample, 2, "x:7"));
            return true;
        }
    }
}
