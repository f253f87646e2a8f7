using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using static Catalog.Domain.Tests.Spec;

namespace Catalog.Domain.Tests.Assets;

public sealed class AssetSpecs
{
    private static readonly ImageMetadata Metadata = new("generated", "c1", "Van Williams", "1024x576", "txt2img", 7.5, 30);
    private static readonly StoredContent Png = new(new string('a', 64), 1234, "image/png");
    private static readonly Production LiveProduction = new("production:prod_1", "prod_1", "T", "A", ProductionStatus.Draft, false);

    private static RegisterAsset<ImageMetadata> Registration(string filename = "frame.png", string? productionId = null,
        ImageMetadata? metadata = null, StoredContent? content = null, DateTimeOffset? createdAt = null) =>
        new(filename, productionId, metadata ?? Metadata, content ?? Png, createdAt);

    private static AssetRegistered<ImageMetadata> Registered(string? productionId = "prod_1") =>
        new(7, "frame.png", productionId, Metadata, Png, Now, Actor, Now);

    private static Asset<ImageMetadata>? State(params object[] events) => Given<Asset<ImageMetadata>>(Asset<ImageMetadata>.Evolve, events);

    [Fact]
    public void registering_carries_the_id_content_and_metadata_and_defaults_created_at_to_now()
    {
        var registered = AssetDecisions.Register(Registration(productionId: "prod_1"), 7, LiveProduction, Actor, Now);
        Assert.Equal(Registered(), registered);

        var older = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(older, AssetDecisions.Register(Registration(createdAt: older), 8, null, Actor, Now).CreatedAt);

        var state = State(registered)!;
        Assert.Equal("image:7", state.Key);
        Assert.Equal("prod_1", state.ProductionId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../up.png")]
    [InlineData("a/b.png")]
    [InlineData("a\\b.png")]
    [InlineData("..")]
    [InlineData("tab\there.png")]
    [InlineData("trailing.png ")]
    public void a_filename_that_is_not_a_plain_name_is_invalid(string filename) =>
        Refused(DomainErrorKind.Invalid, () => AssetDecisions.Register(Registration(filename), 1, null, Actor, Now));

    [Fact]
    public void filenames_may_hold_spaces_and_unicode_up_to_255_bytes()
    {
        AssetDecisions.Register(Registration("Szene 1 – Nacht ü.png"), 1, null, Actor, Now);
        AssetDecisions.Register(Registration(new string('x', 251) + ".png"), 1, null, Actor, Now);
        Refused(DomainErrorKind.Invalid, () => AssetDecisions.Register(Registration(new string('x', 252) + ".png"), 1, null, Actor, Now));
        Refused(DomainErrorKind.Invalid, () => AssetDecisions.Register(Registration(new string('ü', 128) + ".png"), 1, null, Actor, Now));
    }

    [Fact]
    public void every_metadata_problem_is_reported_at_once()
    {
        var bad = new ImageMetadata("poster", null, null, "wide", null, -1, 0);
        var error = Refused(DomainErrorKind.Invalid, () => AssetDecisions.Register(Registration(metadata: bad), 1, null, Actor, Now));
        Assert.Contains("image_type 'poster'", error.Message);
        Assert.Contains("size 'wide'", error.Message);
        Assert.Contains("cfg", error.Message);
        Assert.Contains("steps", error.Message);
    }

    [Fact]
    public void the_content_must_be_non_empty_and_of_the_kind()
    {
        Refused(DomainErrorKind.Invalid, () => AssetDecisions.Register(Registration(content: Png with { ByteSize = 0 }), 1, null, Actor, Now));
        Refused(DomainErrorKind.Invalid, () => AssetDecisions.Register(Registration(content: Png with { MimeType = "video/mp4" }), 1, null, Actor, Now));
    }

    [Fact]
    public void a_production_that_is_missing_or_deleted_is_unprocessable()
    {
        Refused(DomainErrorKind.Unprocessable, () => AssetDecisions.Register(Registration(productionId: "prod_1"), 1, null, Actor, Now));
        Refused(DomainErrorKind.Unprocessable, () =>
            AssetDecisions.Register(Registration(productionId: "prod_1"), 1, LiveProduction with { IsDeleted = true }, Actor, Now));
    }

    [Fact]
    public void video_and_audio_metadata_have_their_own_rules()
    {
        var video = new RegisterAsset<VideoMetadata>("c.mp4", null, new VideoMetadata("final", null, 3.0, "720p", 24, null, null, null),
            new StoredContent(new string('b', 64), 10, "video/mp4"), null);
        Assert.Equal("final", AssetDecisions.Register(video, 1, null, Actor, Now).Metadata.VideoType);
        Refused(DomainErrorKind.Invalid, () => AssetDecisions.Register(video with { Metadata = video.Metadata with { Fps = 0 } }, 1, null, Actor, Now));
        Refused(DomainErrorKind.Invalid, () => AssetDecisions.Register(video with { Metadata = video.Metadata with { Duration = -3 } }, 1, null, Actor, Now));

        var audio = new RegisterAsset<AudioMetadata>("a.wav", null, new AudioMetadata("vocals", 2.5, 48_000),
            new StoredContent(new string('c', 64), 10, "audio/wav"), null);
        Assert.Equal(48_000, AssetDecisions.Register(audio, 1, null, Actor, Now).Metadata.SampleRate);
        Refused(DomainErrorKind.Invalid, () => AssetDecisions.Register(audio with { Metadata = new AudioMetadata("speech", null, null) }, 1, null, Actor, Now));
    }

    [Fact]
    public void correcting_replaces_the_metadata_in_full_and_validates_it()
    {
        var corrected = AssetDecisions.CorrectMetadata(State(Registered()), 7, Metadata with { Prompt = "better" }, Actor, Now);
        Assert.Equal("better", State(Registered(), corrected)!.Metadata.Prompt);
        Refused(DomainErrorKind.Invalid, () => AssetDecisions.CorrectMetadata(State(Registered()), 7, Metadata with { Steps = -2 }, Actor, Now));
    }

    [Fact]
    public void moving_needs_a_live_other_production_and_detaching_needs_one()
    {
        var moved = AssetDecisions.MoveToProduction(State(Registered(null)), 7, "prod_1", LiveProduction, Actor, Now);
        Assert.Equal(new AssetMovedToProduction<ImageMetadata>(7, "prod_1", null, Actor, Now), moved);
        Refused(DomainErrorKind.Conflict, () => AssetDecisions.MoveToProduction(State(Registered()), 7, "prod_1", LiveProduction, Actor, Now));
        Refused(DomainErrorKind.Unprocessable, () => AssetDecisions.MoveToProduction(State(Registered()), 7, "prod_2", null, Actor, Now));

        var detached = AssetDecisions.DetachFromProduction(State(Registered()), 7, Actor, Now);
        Assert.Equal("prod_1", detached.PreviousProductionId);
        Assert.Null(State(Registered(), detached)!.ProductionId);
        Refused(DomainErrorKind.Conflict, () => AssetDecisions.DetachFromProduction(State(Registered(null)), 7, Actor, Now));
    }

    [Fact]
    public void a_deleted_asset_takes_no_more_commands()
    {
        var deleted = State(Registered(), AssetDecisions.Delete(State(Registered()), 7, "prod_1", Actor, Now));
        Assert.True(deleted!.IsDeleted);
        Refused(DomainErrorKind.NotFound, () => AssetDecisions.Delete(deleted, 7, null, Actor, Now));
        Refused(DomainErrorKind.NotFound, () => AssetDecisions.CorrectMetadata(deleted, 7, Metadata, Actor, Now));
        Refused(DomainErrorKind.NotFound, () => AssetDecisions.DetachFromProduction(deleted, 7, Actor, Now));
        Refused(DomainErrorKind.NotFound, () => AssetDecisions.Delete<ImageMetadata>(null, 7, null, Actor, Now));
    }

    [Fact]
    public void a_trashed_asset_comes_back_in_full_only_into_a_live_production_and_a_purged_one_not_at_all()
    {
        var trashed = State(Registered(), AssetDecisions.Delete(State(Registered()), 7, null, Actor, Now));

        var restored = AssetDecisions.Restore(trashed, 7, LiveProduction, "bob", Now);
        Assert.Equal(new AssetRestored<ImageMetadata>(7, "frame.png", "prod_1", Metadata, Png, Now, "bob", Now), restored);
        Assert.False(State(Registered(), AssetDecisions.Delete(State(Registered()), 7, null, Actor, Now), restored)!.IsDeleted);

        Assert.Contains("restore the production first", Refused(DomainErrorKind.Conflict,
            () => AssetDecisions.Restore(trashed, 7, LiveProduction with { IsDeleted = true }, Actor, Now)).Message);
        Refused(DomainErrorKind.Conflict, () => AssetDecisions.Restore(State(Registered()), 7, LiveProduction, Actor, Now));

        var purged = AssetDecisions.Purge(trashed, 7, Actor, Now);
        Assert.Equal(Png.Sha256, purged.Sha256);
        var gone = State(Registered(), AssetDecisions.Delete(State(Registered()), 7, null, Actor, Now), purged);
        Refused(DomainErrorKind.NotFound, () => AssetDecisions.Restore(gone, 7, LiveProduction, Actor, Now));
        Refused(DomainErrorKind.NotFound, () => AssetDecisions.Purge(gone, 7, Actor, Now));
    }

    [Fact]
    public void stream_keys_name_the_kind_and_never_meet_a_production_id()
    {
        Assert.Equal("image:7", StreamKeys.Asset<ImageMetadata>(7));
        Assert.Equal("video:7", StreamKeys.Asset<VideoMetadata>(7));
        Assert.Equal("audio:7", StreamKeys.Asset<AudioMetadata>(7));
        Assert.Equal("production:image:7", StreamKeys.Production("image:7"));
        Assert.False(ProductionDecisions.IsValidId("image:7"));
    }
}
