using Catalog.Domain.Assets;
using Catalog.Domain.Productions;

namespace Catalog.Domain.Tests.Assets;

/// <summary>The kinds registry: what every part of the catalog reads about the kinds.</summary>
public sealed class AssetKindsSpecs
{
    [Fact]
    public void each_kind_has_one_entry_and_one_metadata_record() =>
        Assert.Equal(Enum.GetValues<AssetKind>(), AssetKinds.All.Select(k => k.Kind));

    [Theory]
    [InlineData(AssetKind.Image, "image_type, clip_id, prompt, size, mode, cfg, steps")]
    [InlineData(AssetKind.Video, "video_type, clip_id, duration, resolution, fps, source_image_filename, prompt, camera_control")]
    [InlineData(AssetKind.Audio, "audio_type, duration, sample_rate")]
    public void the_metadata_columns_are_the_seeds_in_the_seeds_order(AssetKind kind, string columns) =>
        Assert.Equal(columns, string.Join(", ", AssetKinds.Of(kind).Fields.Select(f => f.Name)));

    [Theory]
    [InlineData("image", AssetKind.Image)]
    [InlineData("videos", AssetKind.Video)]
    [InlineData("audio", AssetKind.Audio)]
    public void a_kind_is_found_by_its_name_or_its_table(string name, AssetKind kind)
    {
        Assert.True(AssetKinds.TryParse(name, out var found));
        Assert.Equal(kind, found.Kind);
    }

    [Fact]
    public void a_column_value_is_parsed_in_the_invariant_culture() =>
        Assert.Equal(7.5, AssetKinds.Of<ImageMetadata>().Fields.Single(f => f.Name == "cfg").Parse("7.5"));

    [Fact]
    public void a_column_value_of_the_wrong_type_names_the_column() =>
        Assert.Contains("steps must be an integer", Assert.Throws<FormatException>(() => AssetKinds.Of<ImageMetadata>().Fields.Single(f => f.Name == "steps").Parse("many")).Message);

    [Fact]
    public void stream_keys_name_the_kind_and_never_meet_a_production_id()
    {
        Assert.Equal(["image:7", "video:7", "audio:7"], [Asset<ImageMetadata>.StreamKey(7), Asset<VideoMetadata>.StreamKey(7), Asset<AudioMetadata>.StreamKey(7)]);
        Assert.Equal("production:image:7", Production.StreamKey("image:7"));
        Assert.Equal(("production", "image:7"), StreamKeys.Split(Production.StreamKey("image:7")));
        Assert.False(ProductionDecisions.IsValidId("image:7"));
    }
}
