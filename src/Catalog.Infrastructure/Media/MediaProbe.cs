using Catalog.Infrastructure.Blobs;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MetadataExtractor;

namespace Catalog.Infrastructure.Media;

/// <summary>What a probe read from a file's bytes. Null where the format or the tool does not say.</summary>
public sealed record MediaFacts(int? Width, int? Height, double? Duration, int? Fps, int? SampleRate)
{
    /// <summary>Nothing read: a format known by its signature whose numbers the probe in use cannot read.</summary>
    public static MediaFacts None { get; } = new(null, null, null, null, null);

    /// <summary>The seed's image <c>size</c>: <c>WIDTHxHEIGHT</c>.</summary>
    public string? Size => Width > 0 && Height > 0 ? $"{Width}x{Height}" : null;

    /// <summary>The seed's video <c>resolution</c>: the picture's shorter side and <c>p</c> (1280x720 → 720p, 1080x1920 → 1080p).</summary>
    public string? Resolution => Width > 0 && Height > 0 ? $"{Math.Min(Width.Value, Height.Value)}p" : null;

    /// <summary>Sound and no picture: what a movie container holding an audio track only says (<see cref="MediaTypes.SoundOnlyForm"/>).</summary>
    public bool SoundOnly => Width is null && Height is null && Fps is null && SampleRate is not null;

    /// <summary>The seed's metadata columns the bytes can say.</summary>
    public static IReadOnlySet<string> Columns { get; } = new HashSet<string> { "size", "duration", "resolution", "fps", "sample_rate" };

    /// <summary>What the bytes say of one of the seed's metadata columns (<c>size</c>, <c>duration</c>, <c>resolution</c>, <c>fps</c>, <c>sample_rate</c>); null for any other column, or when unknown.</summary>
    public object? Column(string name) => name switch
    {
        "size" => Size,
        "duration" => Duration,
        "resolution" => Resolution,
        "fps" => Fps,
        "sample_rate" => SampleRate,
        _ => null,
    };
}

/// <param name="Facts">What was read; null when the file is damaged.</param>
/// <param name="Damage">Why the file cannot be taken (truncated, unreadable), in the tool's words.</param>
public sealed record ProbeResult(MediaFacts? Facts, string? Damage);

/// <summary>
/// Media metadata read from the bytes, never from a name, in process: images with MetadataExtractor (after
/// <see cref="MediaIntegrity"/> found them whole); audio and video, and the HEIF images (AVIF, HEIC), with
/// <see cref="MediaContainers"/>, which checks the container's whole structure and reads its numbers in the same pass
/// (MP4/MOV/M4A, fragmented too, WebM/Matroska, WAV/RF64/Wave64, AIFF, AVI, MP3, FLAC, Ogg Vorbis/Opus/FLAC, MPEG-TS/PS,
/// FLV, ASF, AU, CAF, AC-3; and the still images beyond the web's: ICO, PSD, Netpbm, Targa, SVG, JPEG 2000,
/// EXR, DDS). ffprobe, when installed, is asked only where nothing in process can answer: a format known by its
/// signature only (DTS, AMR, WavPack, TTA, VOC), an Ogg stream of another codec (Speex, Theora), HEVC in a transport
/// stream, a WMV's frame rate. Without it those keep the columns they cannot read empty.
/// </summary>
public sealed class MediaProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string? _ffprobe;

    public MediaProbe(string? ffprobe) => _ffprobe = ffprobe;

    /// <summary>The probe a setting asks for: a path, <c>off</c>, or (empty) <c>ffprobe</c> if it is on the PATH.</summary>
    public static MediaProbe FromSetting(string? setting) => setting switch
    {
        "off" or "none" => new MediaProbe(null),
        { Length: > 0 } path => new MediaProbe(path),
        _ => new MediaProbe(ExternalPrograms.FindOnPath("ffprobe")),
    };

    /// <summary>The ffprobe asked where nothing in process can answer, or null.</summary>
    public string? Ffprobe => _ffprobe;

    /// <summary>
    /// Probes staged bytes, and marks them found whole (<see cref="StagedBlob.FoundWholeAs"/>) so their registration does not
    /// check them again. <paramref name="sameBytesAt"/>: a file holding the very bytes staged (the one they were read from,
    /// unchanged — its caller checks), read instead of the staged copy, which a batch writes past the page cache.
    /// </summary>
    public async Task<ProbeResult> ProbeAsync(StagedBlob blob, string mimeType, CancellationToken ct, string? sameBytesAt = null)
    {
        var path = sameBytesAt ?? blob.LocalPath;
        return Found(blob, mimeType, StagedImage(blob, mimeType, path) ?? await ProbeAsync(path, mimeType, ct));
    }

    /// <summary>
    /// The audio type of staged bytes in a movie's container that holds sound only (<see cref="MediaContainers.SoundOnlyAs"/>),
    /// marking them found whole as that type, so the registration does not walk them again; null otherwise.
    /// </summary>
    public static string? SoundOnlyAs(StagedBlob blob, string mimeType)
    {
        var sound = MediaContainers.SoundOnlyAs(blob.LocalPath, mimeType);
        if (sound is not null) blob.FoundWholeAs = sound;
        return sound;
    }

    /// <summary>A probe's result for staged bytes (read from them, or from the very bytes they were staged from), marking them found whole when it is.</summary>
    public static ProbeResult Found(StagedBlob blob, string mimeType, ProbeResult result)
    {
        if (result.Facts is not null) blob.FoundWholeAs = mimeType;
        return result;
    }

    /// <summary>
    /// A staged image checked from the bytes staging kept (its head and tail) without opening it again: its marks, and a
    /// PNG's size; other images' sizes are read from the file. Null for a format without such marks.
    /// </summary>
    private static ProbeResult? StagedImage(StagedBlob blob, string mimeType, string path)
    {
        if (!MediaIntegrity.HasMarks(mimeType)) return null;
        if (MediaIntegrity.ImageProblem(blob.Head.Span, blob.Tail.Span, blob.Length, mimeType) is { } problem) return new ProbeResult(null, problem);
        return mimeType == "image/png" ? Png(blob.Head.Span) : Image(path, mimeType);
    }

    public async Task<ProbeResult> ProbeAsync(string path, string mimeType, CancellationToken ct)
    {
        var report = MediaContainers.Read(path, mimeType);
        if (report?.Damage is { } damage) return new ProbeResult(null, damage);
        if (report is { Complete: true, Facts: { } facts }) return new ProbeResult(facts, null);
        if (mimeType.StartsWith("image/", StringComparison.Ordinal))
            return MediaIntegrity.Problem(path, mimeType) is { } problem ? new ProbeResult(null, problem) : Image(path, mimeType);
        return _ffprobe is not null ? await WithFfprobeAsync(path, ct) : new ProbeResult(report?.Facts ?? MediaFacts.None, null);
    }

    private static ProbeResult Image(string path, string mimeType)
    {
        if (mimeType == "image/png")
        {
            Span<byte> header = stackalloc byte[PngHeaderLength];
            using (var file = FileSystem.OpenToRead(path))
                return Png(header[..file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false)]);
        }
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            using var file = new KnownLengthStream(FileSystem.OpenToRead(path));
            directories = ImageMetadataReader.ReadMetadata(file);
        }
        catch (Exception e) when (e is IOException or ImageProcessingException)
        {
            return new ProbeResult(null, $"unreadable {mimeType} ({e.Message.TrimEnd('.')}: truncated or damaged?)");
        }

        if (directories.SelectMany(d => d.Errors).FirstOrDefault() is { } error)
            return new ProbeResult(null, $"damaged {mimeType}: {error}");

        var (width, height) = ImageSize(directories);
        return width is null
            ? new ProbeResult(null, $"no picture size found in the {mimeType} (truncated or damaged?)")
            : new ProbeResult(new MediaFacts(width, height, null, null, null), null);
    }

    private async Task<ProbeResult> WithFfprobeAsync(string path, CancellationToken ct)
    {
        var start = new ProcessStartInfo(_ffprobe!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-v", "error", "-count_packets", "-of", "json", "-show_entries",
                     "stream=codec_type,width,height,avg_frame_rate,r_frame_rate,sample_rate,duration:format=duration", "--", path])
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new IOException($"Could not start {_ffprobe}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested) throw;
            return new ProbeResult(null, $"ffprobe took longer than {Timeout.TotalMinutes:N0} minutes");
        }

        var complaint = (await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (process.ExitCode != 0 || complaint is not null)
            return new ProbeResult(null, $"ffprobe: {Tidy(complaint ?? $"exit code {process.ExitCode}", path)}");

        using var json = JsonDocument.Parse(await output);
        var streams = json.RootElement.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(x => Text(x, "codec_type") == "video");
        var audio = streams.FirstOrDefault(x => Text(x, "codec_type") == "audio");
        var format = json.RootElement.TryGetProperty("format", out var f) ? f : default;

        double? duration = Number(video, "duration") ?? Number(audio, "duration") ?? Number(format, "duration");
        int? fps = Rate(video, "avg_frame_rate") ?? Rate(video, "r_frame_rate");
        int? width = (int?)Number(video, "width");
        int? height = (int?)Number(video, "height");
        int? sampleRate = (int?)Number(audio, "sample_rate");
        return new ProbeResult(new MediaFacts(width, height, duration is { } d ? Math.Round(d, 3) : null, fps, sampleRate), null);
    }

    private const int PngHeaderLength = 24;

    /// <summary>A PNG's size from its IHDR chunk, which the specification puts first (MetadataExtractor would read every chunk).</summary>
    private static ProbeResult Png(ReadOnlySpan<byte> header)
    {
        if (header.Length < PngHeaderLength) return new ProbeResult(null, "the PNG's header is cut short: truncated");
        if (!header[12..16].SequenceEqual("IHDR"u8)) return new ProbeResult(null, "the PNG does not start with its IHDR chunk: damaged");
        var (width, height) = (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header[16..]), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header[20..]));
        return width > 0 && height > 0
            ? new ProbeResult(new MediaFacts(width, height, null, null, null), null)
            : new ProbeResult(null, $"the PNG's IHDR gives an impossible size ({width}x{height}): damaged");
    }

    private static (int? Width, int? Height) ImageSize(IEnumerable<MetadataExtractor.Directory> directories)
    {
        foreach (var directory in directories)
        {
            int? width = null, height = null;
            foreach (var tag in directory.Tags)
            {
                if (tag.Name is "Image Width" && directory.TryGetInt32(tag.Type, out var w)) width = w;
                if (tag.Name is "Image Height" && directory.TryGetInt32(tag.Type, out var h)) height = h;
            }
            if (width > 0 && height > 0) return (width, height);
        }
        return (null, null);
    }

    /// <summary>
    /// A file read through a 16 KiB buffer whose length is taken once: MetadataExtractor asks a stream's length before each
    /// skip (an animated GIF's 255-byte blocks: hundreds a file), and a <see cref="FileStream"/> answers each with an
    /// <c>fstat</c> — 47,726 of them for the bench tree's 130 JPEG, GIF and WebP images.
    /// </summary>
    private sealed class KnownLengthStream(FileStream file) : Stream
    {
        private readonly BufferedStream _buffered = new(file, 16 * 1024);
        private readonly long _length = file.Length;

        public override long Length => _length;
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Position { get => _buffered.Position; set => _buffered.Position = value; }
        public override int Read(byte[] buffer, int offset, int count) => _buffered.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => _buffered.Read(buffer);
        public override int ReadByte() => _buffered.ReadByte();
        public override long Seek(long offset, SeekOrigin origin) => _buffered.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _buffered.Dispose();
            base.Dispose(disposing);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static double? Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number) return value.GetDouble();
        return double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed)
            ? parsed
            : null;
    }

    /// <summary>ffprobe's rational frame rate (<c>24/1</c>, <c>30000/1001</c>) as the seed's integer fps.</summary>
    private static int? Rate(JsonElement element, string name)
    {
        var parts = Text(element, name)?.Split('/');
        if (parts is not [var n, var d] || !double.TryParse(n, CultureInfo.InvariantCulture, out var num) ||
            !double.TryParse(d, CultureInfo.InvariantCulture, out var den) || num <= 0 || den <= 0) return null;
        return (int)Math.Round(num / den);
    }

    private static string Tidy(string message, string path) =>
        System.Text.RegularExpressions.Regex.Replace(message.Replace(path, "the file"), @"^\[[^\]]*@ 0x[0-9a-f]+\]\s*", "");
}
