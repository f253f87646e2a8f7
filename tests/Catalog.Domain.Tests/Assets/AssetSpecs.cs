using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using static Catalog.Domain.Tests.Spec;

namespace Catalog.Domain.Tests.Assets;

/// <summary>The rules of an asset's stream, one scenario each (images stand for every kind unless the kind matters).</summary>
public sealed class AssetSpecs
{
    private static readonly ImageMetadata Metadata = new("generated", "c1", "Van Williams", "1024x576", "txt2img", 7.5, 30);
    private static readonly StoredContent Png = new(new string('a', 64), 1234, "image/png");
    private static readonly Production LiveProduction = new("production:prod_1", "prod_1", "T", "A", ProductionStatus.Draft, false);
    private static readonly Production DeletedProduction = LiveProduction with { IsDeleted = true };

    private static readonly Scenario<Asset<ImageMetadata>> Image = For<Asset<ImageMetadata>>(Asset<ImageMetadata>.Evolve);

    private static RegisterAsset<ImageMetadata> Registration(string filename = "frame.png", string? productionId = null,
        ImageMetadata? metadata = null, StoredContent? content = null, DateTimeOffset? createdAt = null) =>
        new(filename, productionId, metadata ?? Metadata, content ?? Png, createdAt);

    private static AssetRegistered<ImageMetadata> Registered(string? productionId = "prod_1") =>
        new(7, "frame.png", productionId, Metadata, Png, Now, Actor, Now);

    private static readonly AssetTrashed<ImageMetadata> Trashed = new(7, null, Actor, Now);
    private static readonly AssetPurged<ImageMetadata> Purged = new(7, new string('a', 64), Actor, Now);

    // Registering

    [Fact]
    public void registering_carries_the_id_content_and_metadata() =>
        Image.When(_ => AssetDecisions.Register(Registration(productionId: "prod_1"), 7, LiveProduction, Actor, Now))
            .Then(Registered());

    [Fact]
    public void registering_keeps_a_created_at_the_caller_knows()
    {
        var older = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Image.When(_ => AssetDecisions.Register(Registration(createdAt: older), 7, null, Actor, Now))
            .Then(new AssetRegistered<ImageMetadata>(7, "frame.png", null, Metadata, Png, older, Actor, Now));
    }

    [Fact]
    public void a_registered_asset_is_keyed_by_its_kind_and_id() =>
        Image.When(_ => Registered()).ThenState(state => Assert.Equal(("image:7", "prod_1", false), (state.Key, state.ProductionId, state.IsDeleted)));

    [Theory]
    [InlineData("")]
    [InlineData("../up.png")]
    [InlineData("a/b.png")]
    [InlineData("a\\b.png")]
    [InlineData("..")]
    [InlineData("tab\there.png")]
    [InlineData("trailing.png ")]
    public void a_filename_that_is_not_a_plain_name_is_invalid(string filename) =>
        Image.When(_ => AssetDecisions.Register(Registration(filename), 1, null, Actor, Now)).ThenRefused(DomainErrorKind.Invalid, "filename");

    [Theory]
    [InlineData("Szene 1 – Nacht ü.png")]
    [InlineData("251-x.png")]
    public void a_filename_may_hold_spaces_and_unicode_up_to_255_bytes(string filename)
    {
        var name = filename == "251-x.png" ? new string('x', 251) + ".png" : filename;
        Image.When(_ => AssetDecisions.Register(Registration(name), 1, null, Actor, Now))
            .Then(new AssetRegistered<ImageMetadata>(1, name, null, Metadata, Png, Now, Actor, Now));
    }

    [Theory]
    [InlineData(252, 'x')]
    [InlineData(128, 'ü')]
    public void a_filename_longer_than_255_bytes_is_invalid(int count, char letter) =>
        Image.When(_ => AssetDecisions.Register(Registration(new string(letter, count) + ".png"), 1, null, Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "longer than 255 bytes");

    [Fact]
    public void every_metadata_problem_is_reported_at_once()
    {
        var refused = Assert.Throws<DomainException>(() => AssetDecisions.Register(
            Registration(metadata: new ImageMetadata(" poster", null, "a\0b", new string('s', 51), null, -1, -3)), 1, null, Actor, Now));
        foreach (var named in new[] { "image_type ' poster'", "prompt contains the NUL", "size is longer than 50", "cfg must be", "steps must be" })
            Assert.Contains(named, refused.Message);
    }

    [Fact]
    public void values_outside_the_seeds_comments_are_kept_as_they_came() =>
        Image.When(_ => AssetDecisions.Register(Registration(metadata: new ImageMetadata("storyboard", null, null, "1920X1080 (upscaled)", "inpaint", 0, 0)),
                1, null, Actor, Now))
            .ThenState(state => Assert.Equal(("storyboard", "1920X1080 (upscaled)", "inpaint", 0), (state.Metadata.ImageType, state.Metadata.Size,
                state.Metadata.Mode, state.Metadata.Steps)));

    [Fact]
    public void empty_content_is_invalid() =>
        Image.When(_ => AssetDecisions.Register(Registration(content: Png with { ByteSize = 0 }), 1, null, Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "empty");

    [Fact]
    public void content_of_another_kind_is_invalid() =>
        Image.When(_ => AssetDecisions.Register(Registration(content: Png with { MimeType = "video/mp4" }), 1, null, Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "image/*");

    [Fact]
    public void registering_into_a_production_that_never_existed_is_unprocessable() =>
        Image.When(_ => AssetDecisions.Register(Registration(productionId: "prod_1"), 1, null, Actor, Now))
            .ThenRefused(DomainErrorKind.Unprocessable, "prod_1");

    [Fact]
    public void registering_into_a_deleted_production_is_unprocessable() =>
        Image.When(_ => AssetDecisions.Register(Registration(productionId: "prod_1"), 1, DeletedProduction, Actor, Now))
            .ThenRefused(DomainErrorKind.Unprocessable);

    [Fact]
    public void a_video_with_a_negative_frame_rate_is_invalid()
    {
        var video = new RegisterAsset<VideoMetadata>("c.mp4", null, new VideoMetadata("final", null, 3.0, "720p", -24, null, null, null),
            new StoredContent(new string('b', 64), 10, "video/mp4"), null);
        For<Asset<VideoMetadata>>(Asset<VideoMetadata>.Evolve).When(_ => AssetDecisions.Register(video, 1, null, Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "fps");
    }

    [Fact]
    public void an_audio_track_with_a_negative_duration_is_invalid()
    {
        var audio = new RegisterAsset<AudioMetadata>("a.wav", null, new AudioMetadata("vocals", -2.5, 48_000),
            new StoredContent(new string('c', 64), 10, "audio/wav"), null);
        For<Asset<AudioMetadata>>(Asset<AudioMetadata>.Evolve).When(_ => AssetDecisions.Register(audio, 1, null, Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "duration");
    }

    // Correcting

    [Fact]
    public void correcting_changes_the_columns_named_and_keeps_the_others() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Correct(state, new CorrectAssetMetadata<ImageMetadata>(7, new Dictionary<string, object?> { ["prompt"] = "better" }), Actor, Now))
            .Then(new AssetMetadataCorrected<ImageMetadata>(7, Metadata with { Prompt = "better" }, Actor, Now));

    [Fact]
    public void correcting_with_null_clears_a_column() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Correct(state, new CorrectAssetMetadata<ImageMetadata>(7, new Dictionary<string, object?> { ["cfg"] = null }), Actor, Now))
            .Then(new AssetMetadataCorrected<ImageMetadata>(7, Metadata with { Cfg = null }, Actor, Now));

    [Fact]
    public void correcting_an_unknown_column_is_invalid_and_names_it() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Correct(state, new CorrectAssetMetadata<ImageMetadata>(7, new Dictionary<string, object?> { ["colour"] = "red" }), Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "colour");

    [Fact]
    public void a_correction_is_checked_like_a_registration() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Correct(state, new CorrectAssetMetadata<ImageMetadata>(7, new Dictionary<string, object?> { ["steps"] = -2 }), Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "steps");

    // Moving and detaching

    [Fact]
    public void moving_into_a_live_production_names_the_one_it_left() =>
        Image.Given(Registered(null))
            .When(state => AssetDecisions.Move(state, new MoveAsset<ImageMetadata>(7, "prod_1"), LiveProduction, Actor, Now))
            .Then(new AssetMovedToProduction<ImageMetadata>(7, "prod_1", null, Actor, Now));

    [Fact]
    public void moving_into_the_production_it_is_in_is_a_conflict() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Move(state, new MoveAsset<ImageMetadata>(7, "prod_1"), LiveProduction, Actor, Now))
            .ThenRefused(DomainErrorKind.Conflict, "already in production");

    [Fact]
    public void moving_into_a_production_that_does_not_exist_is_unprocessable() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Move(state, new MoveAsset<ImageMetadata>(7, "prod_2"), null, Actor, Now))
            .ThenRefused(DomainErrorKind.Unprocessable);

    [Fact]
    public void detaching_names_the_production_it_left() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Detach(state, new DetachAsset<ImageMetadata>(7), Actor, Now))
            .Then(new AssetDetachedFromProduction<ImageMetadata>(7, "prod_1", Actor, Now));

    [Fact]
    public void a_detached_asset_is_in_no_production() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Detach(state, new DetachAsset<ImageMetadata>(7), Actor, Now))
            .ThenState(state => Assert.Null(state.ProductionId));

    [Fact]
    public void detaching_an_asset_in_no_production_is_a_conflict() =>
        Image.Given(Registered(null))
            .When(state => AssetDecisions.Detach(state, new DetachAsset<ImageMetadata>(7), Actor, Now))
            .ThenRefused(DomainErrorKind.Conflict, "not in a production");

    // Deleting, restoring, purging

    [Fact]
    public void deleting_puts_the_asset_in_the_trash() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Delete(state, new DeleteAsset<ImageMetadata>(7), Actor, Now))
            .Then(Trashed);

    [Fact]
    public void a_production_deleted_with_its_assets_is_named_by_their_events() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Cascade(state, 7, "prod_1", Actor, Now))
            .Then(new AssetTrashed<ImageMetadata>(7, "prod_1", Actor, Now));

    [Fact]
    public void an_asset_that_never_existed_cannot_be_deleted() =>
        Image.When(state => AssetDecisions.Delete(state, new DeleteAsset<ImageMetadata>(7), Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound, "Image 7 does not exist");

    [Fact]
    public void a_deleted_asset_cannot_be_deleted_again() =>
        Image.Given(Registered(), Trashed)
            .When(state => AssetDecisions.Delete(state, new DeleteAsset<ImageMetadata>(7), Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound);

    [Fact]
    public void a_deleted_asset_cannot_be_corrected() =>
        Image.Given(Registered(), Trashed)
            .When(state => AssetDecisions.Correct(state, new CorrectAssetMetadata<ImageMetadata>(7, new Dictionary<string, object?>()), Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound);

    [Fact]
    public void restoring_brings_the_asset_back_in_full() =>
        Image.Given(Registered(), Trashed)
            .When(state => AssetDecisions.Restore(state, new RestoreAsset<ImageMetadata>(7), LiveProduction, "bob", Now))
            .Then(new AssetRestored<ImageMetadata>(7, "frame.png", "prod_1", Metadata, Png, Now, "bob", Now));

    [Fact]
    public void a_restored_asset_is_live_again() =>
        Image.Given(Registered(), Trashed)
            .When(state => AssetDecisions.Restore(state, new RestoreAsset<ImageMetadata>(7), LiveProduction, Actor, Now))
            .ThenState(state => Assert.False(state.IsDeleted));

    [Fact]
    public void an_asset_of_a_deleted_production_comes_back_only_with_it() =>
        Image.Given(Registered(), Trashed)
            .When(state => AssetDecisions.Restore(state, new RestoreAsset<ImageMetadata>(7), DeletedProduction, Actor, Now))
            .ThenRefused(DomainErrorKind.Conflict, "restore the production first");

    [Fact]
    public void a_live_asset_has_nothing_to_restore() =>
        Image.Given(Registered())
            .When(state => AssetDecisions.Restore(state, new RestoreAsset<ImageMetadata>(7), LiveProduction, Actor, Now))
            .ThenRefused(DomainErrorKind.Conflict, "not in the trash");

    [Fact]
    public void purging_names_the_bytes_that_may_leave_the_store() =>
        Image.Given(Registered(), Trashed)
            .When(state => AssetDecisions.Purge(state, new PurgeAsset<ImageMetadata>(7), Actor, Now))
            .Then(Purged);

    [Fact]
    public void a_purged_asset_cannot_be_restored() =>
        Image.Given(Registered(), Trashed, Purged)
            .When(state => AssetDecisions.Restore(state, new RestoreAsset<ImageMetadata>(7), LiveProduction, Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound, "not in the trash");

    [Fact]
    public void a_purged_asset_cannot_be_purged_again() =>
        Image.Given(Registered(), Trashed, Purged)
            .When(state => AssetDecisions.Purge(state, new PurgeAsset<ImageMetadata>(7), Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound);
}
