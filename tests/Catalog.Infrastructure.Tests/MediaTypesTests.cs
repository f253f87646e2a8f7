using System.Text;
using Catalog.Infrastructure.Media;
using Catalog.Testing;

namespace Catalog.Infrastructure.Tests;

public sealed class MediaTypesTests
{
    [Fact]
    public void recognises_the_real_files_the_tests_make()
    {
        Assert.Equal("image/png", MediaTypes.Detect(TestMedia.Png()));
        Assert.Equal("audio/wav", MediaTypes.Detect(TestMedia.Wav()));
        Assert.Equal("video/mp4", MediaTypes.Detect(TestMedia.Mp4().AsSpan(0, 4096)));
    }

    [Fact]
    public void telling_an_image_by_its_first_bytes_does_not_copy_them()
    {
        // An import reads every file's first 4 KiB and asks for its type; a 4 KiB copy of them each time was an eighth of
        // what a small file's import allocated. MetadataExtractor's own reading stays (a few hundred bytes).
        var png = TestMedia.Png(width: 320, height: 240);
        var head = png[..Math.Min(png.Length, 4096)];
        Assert.Equal("image/png", MediaTypes.Detect(head)); // warmed: types loaded, the pool filled
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++) Assert.Equal("image/png", MediaTypes.Detect(head));
        var each = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;
        Assert.True(each < 1024, $"{each} bytes allocated to tell one PNG's type");
    }

    [Theory]
    [InlineData("clip-120p-10fps-1s.ogv", "video/ogg")] // Theora: a video, whatever the container's usual sound
    [InlineData("tone-22050-2s.ogg", "audio/ogg")]
    [InlineData("tone-48000-1.5s.opus", "audio/ogg")]
    [InlineData("tone-44100-1s-flac.oga", "audio/ogg")]
    // The formats beyond the web's (tests/media/make-media.sh), each told from its first bytes.
    [InlineData("clip-120p-25fps-1s.ts", "video/mp2t")] // a sync byte every 188 bytes
    [InlineData("clip-180p-30fps-1s.m2ts", "video/mp2t")] // every 192, after a 4-byte prefix
    [InlineData("clip-120p-25fps-1s.mpg", "video/mpeg")] // a pack header
    [InlineData("clip-120p-25fps-1s.flv", "video/x-flv")]
    [InlineData("clip-120p-25fps-1s.wmv", "video/x-ms-wmv")] // an ASF header with a video stream
    [InlineData("tone-22050-1s.wma", "audio/x-ms-wma")] // the same header, sound only
    [InlineData("tone-22050-1s.au", "audio/basic")]
    [InlineData("tone-16000-1s.caf", "audio/x-caf")]
    [InlineData("tone-22050-1s.w64", "audio/x-w64")]
    [InlineData("tone-44100-1s.ac3", "audio/ac3")] // two Dolby Digital frames in a row
    [InlineData("tone-48000-1s.eac3", "audio/eac3")]
    [InlineData("tone-44100-1s.wv", "audio/x-wavpack")]
    [InlineData("still-64x48.ico", "image/x-icon")]
    [InlineData("still-64x48.psd", "image/vnd.adobe.photoshop")]
    [InlineData("still-64x48.ppm", "image/x-portable-pixmap")]
    [InlineData("still-64x48.tga", "image/x-tga")]
    [InlineData("still-64x48.jp2", "image/jp2")]
    [InlineData("still-64x48.exr", "image/x-exr")]
    [InlineData("still-64x48.dds", "image/vnd-ms.dds")]
    [InlineData("still-64x48.svg", "image/svg+xml")]
    public void a_fixture_is_told_by_its_first_bytes_and_an_ogg_file_is_video_when_its_first_stream_is_theora(string fixture, string expected)
    {
        var bytes = File.ReadAllBytes(TestMedia.Fixture(fixture));
        Assert.Equal(expected, MediaTypes.Detect(bytes.AsSpan(0, Math.Min(4096, bytes.Length))));
    }

    [Theory]
    [InlineData("FFD8FFE000104A46494600", "image/jpeg")]
    [InlineData("474946383961", "image/gif")]
    [InlineData("52494646240000005745425056503820", "image/webp")]
    [InlineData("664C614300000022", "audio/flac")]
    [InlineData("4F676753000200000000", "audio/ogg")]
    [InlineData("1A45DFA39F4286810142F7810142F2810442F381084282847765626D", "video/webm")]
    [InlineData("000000206674797069736F6D0000020069736F6D69736F32", "video/mp4")]
    [InlineData("00000014667479707174202000000000", "video/quicktime")]
    [InlineData("0000001C6674797069736F360000020069736F36636D6663", "video/mp4")] // CMAF (iso6, cmfc): MetadataExtractor says QuickTime
    [InlineData("0000001C6674797069736F350000020069736F3569736F36", "video/mp4")] // fragmented, default-base-is-moof (iso5)
    [InlineData("000000186674797064617368000000006973366D", "video/mp4")] // DASH
    [InlineData("000000186674797061763031000000006973366D", "video/mp4")] // AV1 in MP4
    [InlineData("00000014667479703367703400000000", "video/3gpp")]
    [InlineData("00000014667479703367326100000000", "video/3gpp2")]
    [InlineData("00000020667479704D34412000000000", "audio/mp4")]
    [InlineData("494433040000000000", "audio/mpeg")]
    [InlineData("FFFB9064000000000000", "audio/mpeg")]
    [InlineData("464F524D0000AC1241494646434F4D4D", "audio/aiff")]
    [InlineData("FFF15080217FFC", "audio/aac")] // ADTS
    [InlineData("49443304000000000006545353450000FFF15080217FFC", "audio/aac")] // ADTS after an ID3v2 tag
    [InlineData("52463634FFFFFFFF57415645647336341C000000", "audio/wav")] // RF64
    [InlineData("464F524D0000BBCE4149464346564552", "audio/aiff")] // AIFF-C
    [InlineData("0000001C667479706176696600000000617669666D6966316D696166", "image/avif")]
    [InlineData("000000186674797061766973000000006176697361766966", "image/avif")] // an AVIF sequence
    [InlineData("000000186674797068656963000000006D69663168656963", "image/heic")]
    [InlineData("00000014667479706D696631000000006D696631", "image/heif")] // plain HEIF: mif1 and nothing more specific
    [InlineData("00000018667479706D696631000000006D69663161766966", "image/avif")] // "avif" among the compatible brands only
    public void recognises_container_signatures(string hex, string expected)
    {
        var head = Convert.FromHexString(hex).Concat(new byte[64]).ToArray();
        Assert.Equal(expected, MediaTypes.Detect(head));
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "image/svg+xml")]
    [InlineData("\uFEFF<?xml version=\"1.0\"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">\n<svg>", "image/svg+xml")]
    [InlineData("<?xml version=\"1.0\"?><html><svg/></html>", null)] // an SVG inside another document is not one
    [InlineData("<html><body><svg></svg></body></html>", null)]
    public void an_svg_is_xml_whose_root_is_svg(string text, string? expected) => Assert.Equal(expected, MediaTypes.Detect(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("tone-48000-1s-opus.webm", "video/webm", "audio/webm")] // Opus in WebM: a browser's recording, a download's audio
    [InlineData("tone-44100-1s-vorbis.mka", "video/x-matroska", "audio/x-matroska")]
    [InlineData("tone-22050-1s-aac.mp4", "video/mp4", "audio/mp4")] // AAC in an MP4 of brand isom, not M4A's
    [InlineData("tone-48000-1s-aac.ts", "video/mp2t", "audio/mp2t")] // a transport stream of sound only: an HLS audio rendition
    [InlineData("clip-120p-25fps-1s.ts", "video/mp2t", null)]
    [InlineData("tone-44100-2s.m4a", "audio/mp4", null)] // the M4A brand says it already
    [InlineData("clip-480p-25fps-2s.webm", "video/webm", null)]
    [InlineData("clip-180p-50fps-1s.mkv", "video/x-matroska", null)]
    [InlineData("clip-720p-24fps-3s.mp4", "video/mp4", null)]
    [InlineData("clip-180p-30fps-1s-cmaf.mp4", "video/mp4", null)] // a picture and sound: a video
    [InlineData("clip-360p-30fps-2s.mov", "video/quicktime", null)]
    [InlineData("tone-22050-2s.ogg", "audio/ogg", null)]
    public void a_movie_container_holding_sound_only_is_audio(string fixture, string detected, string? soundOnly)
    {
        var path = TestMedia.Fixture(fixture);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(detected, MediaTypes.Detect(bytes.AsSpan(0, Math.Min(4096, bytes.Length))));
        Assert.Equal(soundOnly, MediaContainers.SoundOnlyAs(path, detected));
    }

    [Fact]
    public void a_damaged_movie_container_is_not_taken_for_sound()
    {
        var bytes = File.ReadAllBytes(TestMedia.Fixture("tone-48000-1s-opus.webm"));
        var cut = Path.Combine(Path.GetTempPath(), $"cut-{Guid.NewGuid():N}.webm");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        try
        {
            Assert.Null(MediaContainers.SoundOnlyAs(cut, "video/webm"));
        }
        finally
        {
            File.Delete(cut);
        }
    }

    [Theory]
    [InlineData("just text")]
    [InlineData("<!DOCTYPE html><html></html>")]
    [InlineData("{\"json\": true}")]
    [InlineData("")]
    public void text_is_no_media(string text) => Assert.Null(MediaTypes.Detect(Encoding.UTF8.GetBytes(text)));
}
