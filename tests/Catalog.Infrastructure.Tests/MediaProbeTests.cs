using System.Text;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Catalog.Testing;

namespace Catalog.Infrastructure.Tests;

/// <summary>
/// Metadata read from real files' bytes (made by ffmpeg and sox: tests/media/make-media.sh). Every container the catalog
/// takes is read in process, so the probe with ffprobe (the machine's, as the CLI picks it; CI installs it) and without it
/// must give the same numbers — the ones ffprobe reads from the same files. ffprobe is asked only for containers the
/// in-process readers leave (Theora or Speex inside Ogg).
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

    /// <summary>The bytes staged (as an upload or an import stages them) and probed: an image is checked from the head and
    /// tail staging kept, without reading the file again.</summary>
    private async Task<ProbeResult> ProbeStagedAsync(MediaProbe probe, byte[] bytes, string mime)
    {
        using var store = new FileSystemBlobStore(_dir["blobs"]);
        await using var staged = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default, flush: false);
        return await probe.ProbeAsync(staged, mime, default);
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
        Assert.Equal($"{width}x{height}", (await ProbeStagedAsync(LibraryOnly, File.ReadAllBytes(path), "image/png")).Facts?.Size);
    }

    [Theory]
    [InlineData("still-320x240.jpg", "320x240")]
    [InlineData("still-200x100.gif", "200x100")]
    [InlineData("still-300x150.webp", "300x150")]
    [InlineData("still-320x240.avif", "320x240")] // HEIF: the size from its image properties ('ispe'); ffprobe gives the same
    [InlineData("still-200x150.heic", "200x150")] // ffprobe cannot read this one (it has no 'moov'), so it is never asked
    [InlineData("still-64x48.ico", "64x48")] // the largest of the icon's images
    [InlineData("still-64x48.psd", "64x48")]
    [InlineData("still-64x48.ppm", "64x48")]
    [InlineData("still-64x48.tga", "64x48")]
    [InlineData("still-64x48.jp2", "64x48")]
    [InlineData("still-64x48.exr", "64x48")] // the data window
    [InlineData("still-64x48.dds", "64x48")]
    [InlineData("still-64x48.svg", "64x48")] // the root's width and height
    public async Task every_image_format_gives_its_size(string fixture, string size)
    {
        Assert.Equal(size, (await Facts(Machine, TestMedia.Fixture(fixture))).Size);
        Assert.Equal(size, (await Facts(LibraryOnly, TestMedia.Fixture(fixture))).Size);
        var bytes = File.ReadAllBytes(TestMedia.Fixture(fixture));
        var staged = await ProbeStagedAsync(LibraryOnly, bytes, MediaTypes.Detect(bytes.AsSpan(0, Math.Min(4096, bytes.Length)))!);
        Assert.Equal(size, staged.Facts?.Size);
    }

    [Fact]
    public async Task a_3_s_24_fps_720p_mp4_gives_duration_resolution_and_fps()
    {
        foreach (var probe in new[] { Machine, LibraryOnly })
        {
            var facts = await Facts(probe, TestMedia.Fixture("clip-720p-24fps-3s.mp4"));
            Assert.Equal((3.0, "720p", (int?)24), (facts.Duration, facts.Resolution, facts.Fps));
        }
    }

    [Fact]
    public void reading_a_containers_structure_borrows_its_window_instead_of_allocating_64_KiB_per_file()
    {
        var path = TestMedia.Fixture("clip-720p-24fps-3s.mp4");
        MediaContainers.Read(path, "video/mp4"); // once, so the code is compiled and the pool holds a returned window
        var before = GC.GetAllocatedBytesForCurrentThread();
        var report = MediaContainers.Read(path, "video/mp4");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3.0, report?.Facts?.Duration ?? 0, precision: 1);
        Assert.True(allocated < 32 * 1024, $"reading one file's structure allocated {allocated:N0} bytes");
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

    /// <summary>What ffprobe 5 reads of each file (its durations rounded to the millisecond as the catalog keeps them).</summary>
    [Theory]
    [InlineData("clip-360p-30fps-2s.mov", 2.0, "360p", 30, null)]
    [InlineData("clip-480p-25fps-2s.webm", 2.0, "480p", 25, null)]
    [InlineData("clip-180p-50fps-1s.mkv", 1.0, "180p", 50, null)]
    [InlineData("clip-180p-25fps-1s-live.webm", 1.0, "180p", 25, null)] // written to a pipe: sizes unknown, walked to the end
    [InlineData("clip-120p-15fps-1s.avi", 1.0, "120p", 15, null)]
    [InlineData("tone-44100-2s.flac", 2.0, null, null, 44_100)]
    [InlineData("tone-22050-2s.ogg", 2.0, null, null, 22_050)]
    [InlineData("tone-48000-1.5s.opus", 1.5, null, null, 48_000)] // ffprobe says 1.5065: it does not take Opus's pre-skip off (RFC 7845 does)
    [InlineData("tone-32000-2s.mp3", 2.052, null, null, 32_000)]
    [InlineData("tone-44100-2s-vbr.mp3", 2.038, null, null, 44_100)] // frame count from the Xing header
    [InlineData("tone-22050-2s-cbr-id3v1.mp3", 2.064, null, null, 22_050)] // no Xing header: frames counted; an ID3v1 tag at the end
    [InlineData("tone-44100-2s.m4a", 2.0, null, null, 44_100)]
    [InlineData("tone-96000-0.5s-24bit.wav", 0.5, null, null, 96_000)]
    [InlineData("tone-22050-1s.aiff", 1.0, null, null, 22_050)]
    [InlineData("tone-16000-1.5s.aifc", 1.5, null, null, 16_000)]
    [InlineData("tone-44100-1s.aac", 1.045, null, null, 44_100)] // ADTS frames counted: 45 of 1,024 samples (the encoder's priming included, as ffprobe counts it)
    [InlineData("tone-48000-0.5s-rf64.wav", 0.5, null, null, 48_000)]
    [InlineData("clip-180p-25fps-1s-fragmented.mp4", 1.0, "180p", 25, null)] // every sample in movie fragments, none in the movie box
    [InlineData("clip-180p-25fps-2s-fragmented-after-moov.mp4", 2.0, "180p", 25, null)] // the first second in the movie box, the next in a fragment
    [InlineData("clip-180p-30fps-1s-cmaf.mp4", 1.0, "180p", 30, 48_000)] // CMAF (brand iso6): video and audio in fragments
    [InlineData("tone-44100-1s-fragmented.m4a", 1.023, null, null, 44_100)] // four fragments, each sample giving its own duration
    [InlineData("tone-44100-1s-flac.oga", 1.0, null, null, 44_100)] // FLAC inside Ogg: STREAMINFO after the mapping's header
    [InlineData("tone-48000-1s-opus.webm", 1.008, null, null, 48_000)] // sound only, in a movie's container
    [InlineData("tone-44100-1s-vorbis.mka", 1.003, null, null, 44_100)]
    [InlineData("tone-22050-1s-aac.mp4", 1.0, null, null, 22_050)]
    [InlineData("clip-120p-25fps-1s.ts", 1.0, "120p", 25, null)] // the video's stamps, first to last frame, and one frame more
    [InlineData("clip-180p-30fps-1s.m2ts", 1.001, "180p", 30, null)] // H.264 (its size from the sequence parameter set) at 30000/1001
    [InlineData("clip-120p-25fps-1s.mpg", 0.56, "120p", 25, null)] // MPEG-1 stamps only some packets: ffprobe's span of them
    [InlineData("clip-120p-25fps-1s.flv", 1.05, "120p", 25, 22_050)] // onMetaData (its sound's rate too, as an MP4 with sound gives)
    [InlineData("tone-22050-1s.au", 1.0, null, null, 22_050)]
    [InlineData("tone-16000-1s.caf", 1.0, null, null, 16_000)]
    [InlineData("tone-22050-1s.w64", 1.0, null, null, 22_050)] // Wave64: GUID chunk ids, 64-bit lengths
    [InlineData("tone-44100-1s.ac3", 1.01, null, null, 44_100)] // 29 frames of 1,536 samples
    [InlineData("tone-48000-1s.eac3", 1.024, null, null, 48_000)]
    [InlineData("tone-22050-1s.wma", 1.021, null, null, 22_050)] // the play duration less the preroll
    [InlineData("tone-48000-1s-aac.ts", 0.747, null, null, 48_000)] // sound only: its stamps' span and one frame (ffprobe's 0.746667)
    public async Task every_container_gives_what_ffprobe_reads_with_or_without_it(string fixture, double duration, string? resolution, int? fps, int? sampleRate)
    {
        foreach (var probe in new[] { Machine, LibraryOnly })
        {
            var facts = await Facts(probe, TestMedia.Fixture(fixture));
            Assert.Equal((duration, resolution, fps, sampleRate), (facts.Duration, facts.Resolution, facts.Fps, facts.SampleRate));
        }
    }

    [Theory]
    [InlineData("clip-120p-10fps-1s.ogv", 1.0, "120p", 10, null)] // Theora inside Ogg
    [InlineData("tone-44100-1s.wv", 1.0, null, null, 44_100)] // WavPack: known by its signature, read by ffprobe only
    public async Task what_nothing_in_process_reads_is_left_to_ffprobe_and_empty_without_it(string fixture, double duration, string? resolution, int? fps, int? sampleRate)
    {
        var without = await Facts(LibraryOnly, TestMedia.Fixture(fixture));
        Assert.Null(without.Duration);
        Assert.Null(without.Fps);
        Assert.Null(without.SampleRate);
        // The ffprobe half is checked unless ffprobe was turned off on purpose (Catalog__Ffprobe=off or none: "a machine without it");
        // a machine that merely lacks it fails here rather than passing half the test.
        if (Environment.GetEnvironmentVariable("Catalog__Ffprobe") is "off" or "none") return;
        Assert.True(Machine.Ffprobe is not null, "ffprobe was not found: install ffmpeg (as .ci/run does) or run with Catalog__Ffprobe=off");
        var with = await Facts(Machine, TestMedia.Fixture(fixture));
        Assert.Equal((duration, resolution, fps, sampleRate), (with.Duration, with.Resolution, with.Fps, with.SampleRate));
    }

    /// <summary>One committed file of every container read in process (each format's whole structure is checked).</summary>
    public static TheoryData<string> Containers => new(
        "clip-720p-24fps-3s.mp4", "clip-360p-30fps-2s.mov", "clip-480p-25fps-2s.webm", "clip-180p-50fps-1s.mkv",
        "clip-120p-15fps-1s.avi", "tone-44100-2s.flac", "tone-22050-2s.ogg", "tone-48000-1.5s.opus",
        "tone-32000-2s.mp3", "tone-44100-2s-vbr.mp3", "tone-44100-2s.m4a", "tone-96000-0.5s-24bit.wav",
        "still-320x240.avif", "still-200x150.heic", "tone-22050-1s.aiff", "tone-16000-1.5s.aifc",
        "tone-44100-1s.aac", "tone-48000-0.5s-rf64.wav", "clip-180p-25fps-1s-fragmented.mp4",
        "clip-180p-25fps-2s-fragmented-after-moov.mp4", "clip-180p-30fps-1s-cmaf.mp4", "tone-44100-1s-fragmented.m4a",
        "tone-44100-1s-flac.oga", "clip-120p-10fps-1s.ogv", "tone-48000-1s-opus.webm", "tone-44100-1s-vorbis.mka",
        "tone-22050-1s-aac.mp4", "clip-120p-25fps-1s.ts", "tone-48000-1s-aac.ts", "clip-120p-25fps-1s.mpg", "clip-120p-25fps-1s.flv",
        "clip-120p-25fps-1s.wmv", "tone-22050-1s.wma", "tone-22050-1s.au", "tone-16000-1s.caf", "tone-44100-1s.ac3",
        "tone-22050-1s.w64", "still-64x48.ico", "still-64x48.psd", "still-64x48.ppm", "still-64x48.tga", "still-64x48.jp2", "still-64x48.exr",
        "still-64x48.dds", "still-64x48.svg");

    [Theory]
    [MemberData(nameof(Containers))]
    [InlineData("frame.png")]
    [InlineData("clip-180p-25fps-1s-live.webm")]
    [InlineData("tone-22050-2s-cbr-id3v1.mp3")]
    [InlineData("still-320x240.jpg")]
    [InlineData("still-200x100.gif")]
    [InlineData("still-300x150.webp")]
    [InlineData("tone.wav")]
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
            var staged = await ProbeStagedAsync(probe, bytes[..(bytes.Length / 2)], mime);
            Assert.Null(staged.Facts);
            Assert.Equal(result.Damage, staged.Damage); // the same verdict from the bytes staging kept
        }
        Assert.NotNull((await ProbeStagedAsync(Machine, bytes, mime)).Facts);
        Assert.NotNull((await Machine.ProbeAsync(Write(name, bytes), mime, default)).Facts); // whole, it reads
    }

    [Fact]
    public async Task a_windows_media_video_gives_its_size_and_length_and_leaves_its_frame_rate_to_ffprobe()
    {
        var without = await Facts(LibraryOnly, TestMedia.Fixture("clip-120p-25fps-1s.wmv"));
        Assert.Equal((1.046, "120p", (int?)null), (without.Duration, without.Resolution, without.Fps)); // not in its headers
        if (Environment.GetEnvironmentVariable("Catalog__Ffprobe") is "off" or "none") return;
        Assert.True(Machine.Ffprobe is not null, "ffprobe was not found: install ffmpeg (as .ci/run does) or run with Catalog__Ffprobe=off");
        var with = await Facts(Machine, TestMedia.Fixture("clip-120p-25fps-1s.wmv"));
        Assert.Equal((1.046, "120p", (int?)25), (with.Duration, with.Resolution, with.Fps));
    }

    /// <summary>
    /// A transport stream is whole packets: one cut inside a packet is truncated, as is one whose last sound packet (of a
    /// declared length) lost its end; cut between packets where only a picture's packet (of no declared length) was in
    /// flight, it is a shorter stream — as a recording stopped there, or an HLS segment, is.
    /// </summary>
    [Fact]
    public async Task a_transport_stream_is_truncated_inside_a_packet_and_whole_between_packets_of_unbounded_video()
    {
        var bytes = File.ReadAllBytes(TestMedia.Fixture("clip-180p-30fps-1s.m2ts"));
        var inside = await LibraryOnly.ProbeAsync(Write("inside.m2ts", bytes[..(192 * 40 + 100)]), "video/mp2t", default);
        Assert.Null(inside.Facts);
        Assert.Contains("into a 192-byte packet: truncated", inside.Damage);

        var ts = File.ReadAllBytes(TestMedia.Fixture("clip-120p-25fps-1s.ts"));
        var lastSound = await LibraryOnly.ProbeAsync(Write("sound.ts", ts[..(188 * 200)]), "video/mp2t", default);
        Assert.Null(lastSound.Facts);
        Assert.Contains("truncated", lastSound.Damage);

        var between = await LibraryOnly.ProbeAsync(Write("between.m2ts", bytes[..(192 * 32)]), "video/mp2t", default);
        Assert.True(between.Facts is not null, between.Damage);
        Assert.Equal("180p", between.Facts!.Resolution);
    }

    [Fact]
    public async Task an_svg_cut_before_its_root_ends_is_truncated_and_one_without_a_size_has_none()
    {
        var svg = File.ReadAllText(TestMedia.Fixture("still-64x48.svg"));
        var cut = await LibraryOnly.ProbeAsync(Write("cut.svg", Encoding.UTF8.GetBytes(svg[..^1])), "image/svg+xml", default);
        Assert.Contains("truncated", cut.Damage);
        var spaced = await LibraryOnly.ProbeAsync(Write("spaced.svg", Encoding.UTF8.GetBytes(svg + "\n<!-- the end -->\n")), "image/svg+xml", default);
        Assert.Equal("64x48", spaced.Facts?.Size);
        var sized = await LibraryOnly.ProbeAsync(Write("box.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1920 1080\"></svg>"u8.ToArray()), "image/svg+xml", default);
        Assert.Equal("1920x1080", sized.Facts?.Size);
        var relative = await LibraryOnly.ProbeAsync(Write("pct.svg", "<svg width=\"100%\" height=\"100%\"></svg>"u8.ToArray()), "image/svg+xml", default);
        Assert.True(relative.Facts is not null, relative.Damage);
        Assert.Null(relative.Facts!.Size); // no size in pixels to give
    }

    [Fact]
    public async Task a_wav_written_to_a_pipe_with_its_lengths_unknown_is_whole()
    {
        var wav = TestMedia.Wav(seconds: 1, sampleRate: 48_000);
        wav.AsSpan(4, 4).Fill(0xFF); // RIFF size: ffmpeg writing to a pipe leaves 0xFFFFFFFF
        wav.AsSpan(40, 4).Fill(0xFF); // and the data size
        var path = Write("piped.wav", wav);
        foreach (var probe in new[] { Machine, LibraryOnly })
        {
            var result = await probe.ProbeAsync(path, "audio/wav", default);
            Assert.True(result.Facts is not null, result.Damage);
            Assert.Equal((1.0, (int?)48_000), (result.Facts!.Duration, result.Facts.SampleRate)); // the data is what the file holds
        }
    }

    /// <summary>Cut anywhere — a third in, half, nine tenths, one byte short, 300 bytes short — every container is refused as truncated, in process.</summary>
    [Theory]
    [MemberData(nameof(Containers))]
    public async Task cut_anywhere_every_container_is_truncated_without_ffprobe(string fixture)
    {
        var bytes = File.ReadAllBytes(TestMedia.Fixture(fixture));
        var mime = MediaTypes.Detect(bytes.AsSpan(0, Math.Min(4096, bytes.Length)))!;
        foreach (var length in new[] { bytes.Length / 3, bytes.Length / 2, bytes.Length * 9 / 10, bytes.Length - 1, bytes.Length - 300 })
        {
            var result = await LibraryOnly.ProbeAsync(Write($"cut-{length}-{fixture}", bytes[..length]), mime, default);
            Assert.True(result.Facts is null, $"{fixture} cut to {length:N0} of {bytes.Length:N0} bytes was taken as whole");
            Assert.Matches("truncated|damaged", result.Damage);
            Assert.Equal(result.Damage, MediaIntegrity.Problem(Write($"cut-{length}-{fixture}", bytes[..length]), mime)); // the upload's check says the same
        }
    }

    /// <summary>A program stream whose packets take the most a PES length allows (65,541 bytes with their header), as some capture software writes.</summary>
    [Fact]
    public async Task a_program_stream_of_the_largest_packets_is_read()
    {
        using var bytes = new MemoryStream();
        for (var frame = 0; frame < 3; frame++)
        {
            bytes.Write([0, 0, 1, 0xBA, 0x44, 0, 4, 0, 4, 1, 0, 0, 3, 0xF8]); // an MPEG-2 pack header, no stuffing
            var packet = new byte[6 + 65_535];
            packet[2] = 1; packet[3] = 0xE0; packet[4] = 0xFF; packet[5] = 0xFF; // video stream 0, the largest length
            packet[6] = 0x80; packet[7] = 0x80; packet[8] = 5; // MPEG-2 PES header: a PTS
            var pts = 3600L * frame; // 25 fps in 90 kHz ticks
            packet[9] = (byte)(0x21 | (int)((pts >> 29) & 0x0E)); packet[10] = (byte)(pts >> 22); packet[11] = (byte)(((pts >> 14) & 0xFE) | 1);
            packet[12] = (byte)(pts >> 7); packet[13] = (byte)(((pts << 1) & 0xFE) | 1);
            // a sequence header: 720x576, frame rate code 3 (25 fps)
            ((ReadOnlySpan<byte>)[0, 0, 1, 0xB3, 0x2D, 0x02, 0x40, 0x33]).CopyTo(packet.AsSpan(14));
            bytes.Write(packet);
        }
        bytes.Write([0, 0, 1, 0xB9]);

        var result = await LibraryOnly.ProbeAsync(Write("large.mpg", bytes.ToArray()), "video/mpeg", default);

        Assert.True(result.Facts is not null, result.Damage);
        Assert.Equal(("576p", (int?)25, 0.12), (result.Facts!.Resolution, result.Facts.Fps, result.Facts.Duration));
    }

    [Theory]
    [InlineData("P6\n9999999999999999999 9999999999999999999\n255\n")] // numbers past a 64-bit integer's
    [InlineData("P6\n4000000000 4000000000\n255\n")] // a raster past 2^63 bytes
    [InlineData("P7\nWIDTH 999999999\nHEIGHT 999999999\nDEPTH 999999999\nMAXVAL 65535\nTUPLTYPE RGB\nENDHDR\n")]
    public async Task a_netpbm_header_with_absurd_numbers_is_damaged_not_a_crash(string header)
    {
        var bytes = Encoding.ASCII.GetBytes(header).Concat(new byte[64]).ToArray();
        var mime = MediaTypes.Detect(bytes)!;
        var result = await LibraryOnly.ProbeAsync(Write("absurd.pnm", bytes), mime, default);
        Assert.Null(result.Facts);
        Assert.Matches("truncated|damaged", result.Damage);
    }

    [Fact]
    public async Task an_mp4_nesting_boxes_a_hundred_thousand_deep_is_damaged_not_a_crash()
    {
        // ftyp, then 100,000 'moov' boxes each holding the next: made to exhaust a reader that recurses without a bound.
        const int Depth = 100_000;
        using var bytes = new MemoryStream();
        bytes.Write([0, 0, 0, 16, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0]);
        for (var i = 0; i < Depth; i++)
        {
            var size = (Depth - i) * 8;
            bytes.Write([(byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size, (byte)'m', (byte)'o', (byte)'o', (byte)'v']);
        }
        var path = Write("nested.mp4", bytes.ToArray());

        var result = await LibraryOnly.ProbeAsync(path, "video/mp4", default);

        Assert.Null(result.Facts);
        Assert.Contains("nested more than 16 deep", result.Damage);
    }

    [Fact]
    public void the_setting_chooses_the_probe()
    {
        Assert.Null(MediaProbe.FromSetting("off").Ffprobe);
        Assert.Equal("/opt/ffmpeg/bin/ffprobe", MediaProbe.FromSetting("/opt/ffmpeg/bin/ffprobe").Ffprobe);
    }
}
