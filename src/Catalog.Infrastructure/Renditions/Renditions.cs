using System.Collections.Concurrent;
using System.Diagnostics;
using Catalog.Infrastructure.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetVips;

namespace Catalog.Infrastructure.Renditions;

/// <summary>The two pictures made of every asset for looking at it: a thumbnail for grids, a preview for a detail.</summary>
public enum RenditionSize
{
    /// <summary>At most 256 px on the long side.</summary>
    Thumbnail,

    /// <summary>At most 1440 px on the long side.</summary>
    Preview,
}

/// <summary>A rendition on disk (a WebP), or none: the asset cannot be pictured here (see <see cref="Renditions"/>).</summary>
public sealed record Rendition(string? Path)
{
    public const string MimeType = "image/webp";
    public bool IsPlaceholder => Path is null;
}

/// <summary>
/// Thumbnails and previews, made once per blob and size and kept by the blob's SHA-256 beside the blob store:
/// <c>{directory}/{thumbnail|preview}/ab/cd/{sha256}.webp</c>. They are derived files, never events: a missing one is
/// made again. An image is shrunk by libvips (NetVips; JPEG and WebP shrink while they load); a video's picture is its
/// frame at 1 s (the first frame of a shorter clip) and an audio track's a waveform, both drawn by ffmpeg and then
/// shrunk the same way. Without ffmpeg (or for bytes nothing here can decode) there is no rendition and the API
/// serves a placeholder.
/// <para>Each (blob, size) is made by one task at a time: a request that finds it in the making waits for that one
/// task — never behind a queue of others — and a file is written to a temporary name and renamed, so a reader sees
/// a whole file or none.</para>
/// </summary>
public sealed class Renditions
{
    /// <summary>A size's name in paths, ETags and headers: <c>thumbnail</c>, <c>preview</c>.</summary>
    public static string Name(RenditionSize size) => size == RenditionSize.Thumbnail ? "thumbnail" : "preview";

    /// <summary>The long side of each size, in pixels.</summary>
    public static int LongSide(RenditionSize size) => size == RenditionSize.Thumbnail ? 256 : 1440;

    private const int Quality = 80;
    private static readonly TimeSpan FfmpegTimeout = TimeSpan.FromMinutes(2);

    private readonly string _directory;
    private readonly string? _ffmpeg;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string, RenditionSize), Lazy<Task<Rendition>>> _making = new();
    private readonly ConcurrentDictionary<string, bool> _undecodable = new();

    static Renditions()
    {
        // libvips keeps recent operations and their images for reuse (100 MB by default); every picture here is made
        // once from bytes seen once, so that cache would only hold memory.
        Cache.Max = 0;
        Cache.MaxFiles = 0;
        Cache.MaxMem = 0;
    }

    public Renditions(string directory, string? ffmpeg, ILogger? logger = null)
    {
        _directory = Path.GetFullPath(directory);
        _ffmpeg = ffmpeg;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary><c>Catalog:Ffmpeg</c>: a path, <c>off</c>, or (unset) <c>ffmpeg</c> on the PATH when there is one.</summary>
    public static string? FindFfmpeg(string? setting) => setting?.Trim() switch
    {
        "off" or "none" => null,
        { Length: > 0 } path => path,
        _ => ExternalPrograms.FindOnPath("ffmpeg"),
    };

    /// <summary>The ffmpeg that draws videos' and audio tracks' pictures, or null (placeholders).</summary>
    public string? Ffmpeg => _ffmpeg;

    public string Directory => _directory;

    public string PathOf(string sha256, RenditionSize size) => PathOf(_directory, sha256, size);

    private static string PathOf(string directory, string sha256, RenditionSize size) =>
        Path.Combine(directory, Name(size), sha256[..2], sha256[2..4], sha256 + ".webp");

    /// <summary>Every rendition a blob may have under <paramref name="directory"/>: what goes when the blob goes.</summary>
    public static IEnumerable<string> PathsOf(string directory, string sha256) =>
        Enum.GetValues<RenditionSize>().Select(size => PathOf(Path.GetFullPath(directory), sha256, size));

    /// <summary>Whether bytes of <paramref name="mimeType"/> can be pictured here at all.</summary>
    public bool CanPicture(string mimeType) =>
        mimeType.StartsWith("image/", StringComparison.Ordinal) || _ffmpeg is not null &&
        (mimeType.StartsWith("video/", StringComparison.Ordinal) || mimeType.StartsWith("audio/", StringComparison.Ordinal));

    /// <summary>
    /// The rendition of the blob <paramref name="sha256"/> at <paramref name="size"/>: the file when it is made, else made
    /// now from the bytes <paramref name="open"/> gives (called only then). A placeholder (null path) when the bytes
    /// cannot be pictured here.
    /// </summary>
    public Task<Rendition> GetAsync(string sha256, string mimeType, RenditionSize size, Func<CancellationToken, Task<Stream>> open, CancellationToken ct)
    {
        var path = PathOf(sha256, size);
        if (File.Exists(path)) return Task.FromResult(new Rendition(path));
        if (!CanPicture(mimeType) || _undecodable.ContainsKey(sha256)) return Task.FromResult(new Rendition(null));

        var making = _making.GetOrAdd((sha256, size), key => new Lazy<Task<Rendition>>(() => MakeAsync(key.Item1, mimeType, key.Item2, open)));
        // The making is not the caller's to cancel: another request, or the background, may be waiting for it too.
        return making.Value.WaitAsync(ct);
    }

    /// <summary>Both sizes (the background work after a registration).</summary>
    public async Task MakeAllAsync(string sha256, string mimeType, Func<CancellationToken, Task<Stream>> open, CancellationToken ct)
    {
        foreach (var size in Enum.GetValues<RenditionSize>()) await GetAsync(sha256, mimeType, size, open, ct);
    }

    private async Task<Rendition> MakeAsync(string sha256, string mimeType, RenditionSize size, Func<CancellationToken, Task<Stream>> open)
    {
        try
        {
            var target = PathOf(sha256, size);
            if (File.Exists(target)) return new Rendition(target);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
            try
            {
                await using (var source = await open(CancellationToken.None))
                {
                    using var picture = await ShrunkAsync(source, mimeType, sha256, LongSide(size));
                    if (picture is null) return Undecodable(sha256);
                    picture.Webpsave(temporary, q: Quality, keep: Enums.ForeignKeep.None);
                }
                File.Move(temporary, target, overwrite: true);
                return new Rendition(target);
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        catch (VipsException e)
        {
            _logger.LogWarning("The bytes {Sha256} ({MimeType}) cannot be pictured: {Problem}", sha256, mimeType, e.Message.Trim());
            return Undecodable(sha256);
        }
        finally
        {
            _making.TryRemove((sha256, size), out _);
        }
    }

    private Rendition Undecodable(string sha256)
    {
        _undecodable[sha256] = true;
        return new Rendition(null);
    }

    /// <summary>
    /// The picture of the bytes — the image itself (turned as its EXIF says), a video's frame, an audio track's waveform —
    /// shrunk to <paramref name="side"/> on its long side (never enlarged); null when there is none. libvips shrinks a
    /// JPEG or WebP while decoding it and streams the rest, so a large image is never held whole.
    /// </summary>
    private async Task<Image?> ShrunkAsync(Stream source, string mimeType, string sha256, int side)
    {
        if (mimeType.StartsWith("image/", StringComparison.Ordinal))
        {
            try
            {
                return PathOf(source) is { } path
                    ? Image.Thumbnail(path, side, height: side, size: Enums.Size.Down)
                    : Image.ThumbnailStream(source, side, height: side, size: Enums.Size.Down);
            }
            catch (VipsException) when (_ffmpeg is not null && PathOf(source) is not null)
            {
                // A format this libvips has no loader for (icons, Photoshop, Netpbm, Targa, JPEG 2000, OpenEXR, DDS): ffmpeg's decoders draw it.
            }
        }

        var png = await DrawWithFfmpegAsync(source, mimeType, sha256);
        return png is null ? null : Image.ThumbnailBuffer(png, side, height: side, size: Enums.Size.Down);
    }

    /// <summary>The file the bytes are read from, when they are a file's (a blob's own): read by path, not copied.</summary>
    private static string? PathOf(Stream source) => source switch
    {
        BlobReadStream blob => blob.Path,
        FileStream file => file.Name,
        _ => null,
    };

    /// <summary>A video's frame at 1 s (else its first; an image's only one), or an audio track's waveform, as PNG bytes from ffmpeg; null when ffmpeg finds none.</summary>
    private async Task<byte[]?> DrawWithFfmpegAsync(Stream source, string mimeType, string sha256)
    {
        // ffmpeg reads a path (an MP4's index may be at its end): the blob's own file, or a copy of the bytes.
        string? copy = null;
        var path = PathOf(source);
        try
        {
            if (path is null)
            {
                System.IO.Directory.CreateDirectory(Path.Combine(_directory, "tmp"));
                copy = path = Path.Combine(_directory, "tmp", $"{sha256}.{Guid.NewGuid():N}");
                await using var target = File.Create(copy);
                await source.CopyToAsync(target);
            }

            if (mimeType.StartsWith("audio/", StringComparison.Ordinal))
                return await RunFfmpegAsync(["-i", path, "-filter_complex",
                    "aformat=channel_layouts=mono,showwavespic=s=1440x360:colors=0x7aa2f7", "-frames:v", "1"]);
            if (mimeType == "image/x-tga") // Targa has no signature for ffmpeg to know it by, and a blob's file no extension
                return await RunFfmpegAsync(["-f", "image2", "-c:v", "targa", "-i", path, "-frames:v", "1"]);
            if (mimeType.StartsWith("image/", StringComparison.Ordinal))
                return await RunFfmpegAsync(["-i", path, "-frames:v", "1"]);
            return await RunFfmpegAsync(["-ss", "1", "-i", path, "-frames:v", "1"])
                   ?? await RunFfmpegAsync(["-i", path, "-frames:v", "1"]);
        }
        finally
        {
            if (copy is not null) File.Delete(copy);
        }
    }

    private async Task<byte[]?> RunFfmpegAsync(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(_ffmpeg!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-nostdin", .. arguments, "-f", "image2pipe", "-c:v", "png", "pipe:1"])
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{_ffmpeg} did not start.");
        using var timeout = new CancellationTokenSource(FfmpegTimeout);
        var output = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            _logger.LogWarning("ffmpeg took longer than {Timeout} to draw a picture; stopped", FfmpegTimeout);
            return null;
        }
        if (process.ExitCode != 0 || output.Length == 0)
        {
            var problem = (await errors).Trim();
            if (problem.Length > 0) _logger.LogDebug("ffmpeg drew no picture: {Problem}", problem);
            return null;
        }
        return output.ToArray();
    }
}
