using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MetadataExtractor;
using MetadataExtractor.Formats.QuickTime;
using MetadataExtractor.Formats.Wav;

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
/// Media metadata read from the bytes, never from a name, after <see cref="MediaIntegrity"/> found the file whole:
/// ffprobe when it is installed (every format, and it reads every packet so a damaged file is caught), else MetadataExtractor (image sizes; MP4/MOV duration and
/// picture size; WAV duration and sample rate — no frame rate, and nothing for WebM, FLAC, Ogg or MP3).
/// Images are always read with MetadataExtractor, in process.
/// </summary>
public sealed class MediaProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The audio and video formats MetadataExtractor reads a length from.</summary>
    private static readonly HashSet<string> ReadsDurations = ["video/mp4", "video/quicktime", "audio/mp4", "audio/wav"];
    private readonly string? _ffprobe;

    public MediaProbe(string? ffprobe) => _ffprobe = ffprobe;

    /// <summary>The probe a setting asks for: a path, <c>off</c>, or (empty) <c>ffprobe</c> if it is on the PATH.</summary>
    public static MediaProbe FromSetting(string? setting) => setting switch
    {
        "off" or "none" => new MediaProbe(null),
        { Length: > 0 } path => new MediaProbe(path),
        _ => new MediaProbe(FindOnPath("ffprobe")),
    };

    /// <summary>The ffprobe in use, or null when only MetadataExtractor reads.</summary>
    public string? Ffprobe => _ffprobe;

    public async Task<ProbeResult> ProbeAsync(string path, string mimeType, CancellationToken ct)
    {
        if (MediaIntegrity.Problem(path, mimeType) is { } problem) return new ProbeResult(null, problem);
        if (mimeType.StartsWith("image/", StringComparison.Ordinal) || _ffprobe is null)
            return WithMetadataExtractor(path, mimeType);
        return await WithFfprobeAsync(path, ct);
    }

    private static ProbeResult WithMetadataExtractor(string path, string mimeType)
    {
        if (!mimeType.StartsWith("image/", StringComparison.Ordinal) && !ReadsDurations.Contains(mimeType))
            return new ProbeResult(MediaFacts.None, null); // known by its signature only

        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            directories = ImageMetadataReader.ReadMetadata(path);
        }
        catch (Exception e) when (e is IOException or ImageProcessingException)
        {
            return new ProbeResult(null, $"unreadable {mimeType} ({e.Message.TrimEnd('.')}: truncated or damaged?)");
        }

        if (directories.SelectMany(d => d.Errors).FirstOrDefault() is { } error)
            return new ProbeResult(null, $"damaged {mimeType}: {error}");

        if (mimeType.StartsWith("image/", StringComparison.Ordinal))
        {
            var (width, height) = ImageSize(directories);
            return width is null
                ? new ProbeResult(null, $"no picture size found in the {mimeType} (truncated or damaged?)")
                : new ProbeResult(new MediaFacts(width, height, null, null, null), null);
        }

        if (directories.OfType<QuickTimeMovieHeaderDirectory>().FirstOrDefault() is { } movie)
        {
            var track = directories.OfType<QuickTimeTrackHeaderDirectory>()
                .FirstOrDefault(t => t.TryGetInt32(QuickTimeTrackHeaderDirectory.TagWidth, out var w) && w > 0);
            double? seconds = movie.GetObject(QuickTimeMovieHeaderDirectory.TagDuration) is TimeSpan length
                ? Math.Round(length.TotalSeconds, 3)
                : null;
            int? width = track?.TryGetInt32(QuickTimeTrackHeaderDirectory.TagWidth, out var tw) == true ? tw : null;
            int? height = track?.TryGetInt32(QuickTimeTrackHeaderDirectory.TagHeight, out var th) == true ? th : null;
            return new ProbeResult(new MediaFacts(width, height, seconds, null, null), null);
        }

        if (directories.OfType<WavFormatDirectory>().FirstOrDefault() is { } wav)
        {
            int? rate = wav.TryGetInt32(WavFormatDirectory.TagSamplesPerSec, out var r) ? r : null;
            double? seconds = wav.TryGetInt32(WavFormatDirectory.TagBytesPerSec, out var byteRate) && byteRate > 0
                ? Math.Round(WaveDataBytes(path) / (double)byteRate, 3)
                : null;
            return new ProbeResult(new MediaFacts(null, null, seconds, null, rate), null);
        }

        // A WAV it cannot read (one written to a pipe, its lengths unknown) passed the integrity check: taken without numbers.
        return mimeType == "audio/wav"
            ? new ProbeResult(MediaFacts.None, null)
            : new ProbeResult(null, $"no movie header found in the {mimeType} (truncated or damaged?)");
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

    /// <summary>The length of a WAV file's sample data: the file's bytes after the RIFF and format headers (44 in the common layout).</summary>
    private static long WaveDataBytes(string path) => Math.Max(0, new FileInfo(path).Length - 44);

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

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, program))
        .FirstOrDefault(File.Exists);
}
