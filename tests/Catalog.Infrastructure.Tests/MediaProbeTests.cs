using Catalog.Infrastructure.Media;
using Catalog.Testing;

namespace Catalog.Infrastructure.Tests;

/// <summary>
/// Metadata read from real files' bytes. The probe in use is the machine's, as the CLI picks it: ffprobe when installed
/// (CI installs it), else MetadataExtractor alone (try it with <c>Catalog__Ffprobe=off dotnet test</c>) — each test
/// states what each of them must give. MetadataExtractor alone is also tested explicitly, whatever the machine has.
/// </summary>
public sealed class MediaProbeTests : IDisposable
{
    private static readonly MediaProbe Machine = MediaProbe.FromSetting(Environment.GetEnvironmentVariable("Catalog__Ffprobe"));
    private static readonly MediaProbe LibraryOnly = new(null);
    private readonly TempDirectory _dir = new("catalog-probe-");

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        var path = _dir[name];
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<MediaFacts> Facts(MediaProbe probe, string path)
    {
        var mime = MediaTypes.Detect(File.ReadAllBytes(path).AsSpan(0, (int)Math.Min(4096, new FileInfo(path).Length)))!;
        var result = await probe.ProbeAsync(path, mime, default);
        Assert.True(result.Facts is not null, $"{Path.GetFileName(path)}: {result.Damage}");
        return result.Facts!;
    }

    [Theory]
    [InlineData(1024, 576)]
    [InlineData(64, 36)]
    public async Task a_png_gives_its_size_as_width_x_height(int width, int height)
    {
        var path = Write("frame.png", TestMedia.Png(width, height));
        Assert.Equal($"{width}x{height}", (await Facts(Machine, path)).Size);
        Assert.Equal($"{width}x{height}", (await Facts(LibraryOnly, path)).Size);
    }

    [Theory]
    [InlineData("still-320x240.jpg", "320x240")]
    [InlineData("still-200x100.gif", "200x100")]
    [InlineData("still-300x150.webp", "300x150")]
    public async Task jpeg_gif_and_webp_give_their_sizes(string fixture, string size)
    {
        Assert.Equal(size, (await Facts(Machine, TestMedia.Fixture(fixture))).Size);
        Assert.Equal(size, (await Facts(LibraryOnly, TestMedia.Fixture(fixture))).Size);
    }

    [Fact]
    public async Task a_3_s_24_fps_720p_mp4_gives_duration_resolution_and_fps()
    {
        var facts = await Facts(Machine, TestMedia.Fixture("clip-720p-24fps-3s.mp4"));
        Assert.Equal(3.0, facts.Duration!.Value, 2);
        Assert.Equal("720p", facts.Resolution);
        Assert.Equal(Machine.Ffprobe is null ? null : 24, facts.Fps);

        var library = await Facts(LibraryOnly, TestMedia.Fixture("clip-720p-24fps-3s.mp4"));
        Assert.Equal((3.0, "720p", (int?)null), (library.Duration, library.Resolution, library.Fps)); // MetadataExtractor has no frame rate
    }

    [Fact]
    public async Task a_48_khz_wav_gives_its_sample_rate_and_duration()
    {
        var path = Write("tone.wav", TestMedia.Wav(seconds: 1.5, sampleRate: 48_000));
        foreach (var probe in new[] { Machine, LibraryOnly })
        {
            var facts = await Facts(probe, path);
            Assert.Equal(48_000, facts.SampleRate);
            Assert.Equal(1.5, facts.Duration!.Value, 2);
        }
    }

    [Theory]
    [InlineData("clip-360p-30fps-2s.mov", 2.0, "360p", 30, null)]
    [InlineData("clip-480p-25fps-2s.webm", 2.0, "480p", 25, null)]
    [InlineData("tone-44100-2s.flac", 2.0, null, null, 44_100)]
    [InlineData("tone-22050-2s.ogg", 2.0, null, null, 22_050)]
    [InlineData("tone-32000-2s.mp3", 2.0, null, null, 32_000)]
    [InlineData("tone-44100-2s.m4a", 2.0, null, null, 44_100)]
    public async Task the_other_formats_give_what_ffprobe_reads(string fixture, double duration, string? resolution, int? fps, int? sampleRate)
    {
        var facts = await Facts(Machine, TestMedia.Fixture(fixture));
        if (Machine.Ffprobe is not null)
        {
            Assert.InRange(facts.Duration!.Value, duration - 0.06, duration + 0.06);
            Assert.Equal((resolution, fps, sampleRate), (facts.Resolution, facts.Fps, facts.SampleRate));
        }
        else
        {
            // Without ffprobe these are registered with what MetadataExtractor can read (QuickTime only), never with guesses.
            Assert.Null(facts.Fps);
            Assert.Null(facts.SampleRate);
        }
    }

    [Fact]
    public async Task without_ffprobe_a_mov_still_gives_duration_and_resolution_and_the_rest_are_left_empty()
    {
        var mov = await Facts(LibraryOnly, TestMedia.Fixture("clip-360p-30fps-2s.mov"));
        Assert.Equal((2.0, "360p"), (mov.Duration, mov.Resolution));
        foreach (var fixture in new[] { "clip-480p-25fps-2s.webm", "tone-44100-2s.flac", "tone-22050-2s.ogg", "tone-32000-2s.mp3" })
            Assert.Equal(MediaFacts.None, await Facts(LibraryOnly, TestMedia.Fixture(fixture)));
    }

    [Theory]
    [InlineData("frame.png")]
    [InlineData("clip-720p-24fps-3s.mp4")]
    [InlineData("still-320x240.jpg")]
    [InlineData("still-200x100.gif")]
    [InlineData("still-300x150.webp")]
    [InlineData("tone.wav")]
    [InlineData("clip-360p-30fps-2s.mov")]
    [InlineData("tone-44100-2s.m4a")]
    public async Task a_file_cut_in_half_is_damaged_not_read_whichever_probe(string name)
    {
        var bytes = name switch
        {
            "frame.png" => TestMedia.Png(1024, 576),
            "tone.wav" => TestMedia.Wav(),
            _ => File.ReadAllBytes(TestMedia.Fixture(name)),
        };
        var mime = MediaTypes.Detect(bytes.AsSpan(0, Math.Min(4096, bytes.Length)))!;
        var cut = Write("cut-" + name, bytes[..(bytes.Length / 2)]);
        foreach (var probe in new[] { Machine, LibraryOnly })
        {
            var result = await probe.ProbeAsync(cut, mime, default);
            Assert.Null(result.Facts);
            Assert.Contains("truncated", result.Damage);
        }
        Assert.NotNull((await Machine.ProbeAsync(Write(name, bytes), mime, default)).Facts); // whole, it reads
    }

    [Fact]
    public async Task a_wav_written_to_a_pipe_with_its_lengths_unknown_is_whole()
    {
        var wav = TestMedia.Wav(seconds: 1, sampleRate: 48_000);
        wav.AsSpan(4, 4).Fill(0xFF); // RIFF size: ffmpeg writing to a pipe leaves 0xFFFFFFFF
        var path = Write("piped.wav", wav);
        var result = await Machine.ProbeAsync(path, "audio/wav", default);
        Assert.True(result.Facts is not null, result.Damage);
        Assert.Equal(Machine.Ffprobe is null ? null : 48_000, result.Facts!.SampleRate);
        // MetadataExtractor cannot read this variant: taken, without numbers — not refused as damaged.
        Assert.Equal(MediaFacts.None, (await LibraryOnly.ProbeAsync(path, "audio/wav", default)).Facts);
    }

    [Fact]
    public async Task ffprobe_reads_every_packet_so_a_damaged_webm_is_caught_when_it_is_installed()
    {
        var webm = File.ReadAllBytes(TestMedia.Fixture("clip-480p-25fps-2s.webm"));
        var result = await Machine.ProbeAsync(Write("cut.webm", webm[..(webm.Length / 2)]), "video/webm", default);
        if (Machine.Ffprobe is null) Assert.Equal(MediaFacts.None, result.Facts); // no mark to check without it
        else Assert.StartsWith("ffprobe: ", result.Damage);
    }

    [Fact]
    public void the_setting_chooses_the_probe()
    {
        Assert.Null(MediaProbe.FromSetting("off").Ffprobe);
        Assert.Equal("/opt/ffmpeg/bin/ffprobe", MediaProbe.FromSetting("/opt/ffmpeg/bin/ffprobe").Ffprobe);
    }
}
