using System.Buffers.Binary;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// Whether a file is whole, from the few bytes its format's specification puts at a known place: the PNG IEND
/// chunk, the JPEG end-of-image marker, the GIF trailer, the WebP RIFF length; for audio and video, the container's
/// whole structure as <see cref="MediaContainers"/> walks it (MP4/MOV/M4A boxes, Matroska/WebM elements, WAV/AVI chunks,
/// MP3 frames, FLAC's last frame, Ogg pages). A file cut short — a copy that stopped, a download that broke — fails here
/// even when its header (all a metadata reader needs) survived.
/// </summary>
public static class MediaIntegrity
{
    private static readonly byte[] PngEnd = [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    /// <summary>Why the file is not whole, or null when it is (or its format has no such mark).</summary>
    public static string? Problem(string path, string mimeType)
    {
        if (MediaContainers.Read(path, mimeType) is { } container) return container.Damage;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
        var length = file.Length;
        return mimeType switch
        {
            "image/png" => EndsWith(file, PngEnd) ? null : "the PNG has no IEND chunk at its end: truncated",
            "image/jpeg" => Tail(file, 1024).AsSpan().IndexOf([(byte)0xFF, (byte)0xD9]) >= 0 ? null : "the JPEG has no end-of-image marker: truncated",
            "image/gif" => EndsWith(file, [0x3B]) ? null : "the GIF has no trailer byte at its end: truncated",
            "image/webp" => RiffProblem(file, length),
            _ => null,
        };
    }

    private static string? RiffProblem(FileStream file, long length)
    {
        var header = Read(file, 0, 8);
        if (header.Length < 8) return "the RIFF header is cut short: truncated";
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        if (size is 0 or uint.MaxValue) return null; // written by a stream that could not go back to say (ffmpeg to a pipe): unknown
        var declared = size + 8L;
        return declared > length ? $"the RIFF header declares {declared:N0} bytes, the file has {length:N0}: truncated" : null;
    }

    private static bool EndsWith(FileStream file, ReadOnlySpan<byte> end) => Tail(file, end.Length).AsSpan().SequenceEqual(end);

    private static byte[] Tail(FileStream file, int count) => Read(file, Math.Max(0, file.Length - count), count);

    private static byte[] Read(FileStream file, long offset, int count)
    {
        var buffer = new byte[(int)Math.Min(count, Math.Max(0, file.Length - offset))];
        file.Position = offset;
        file.ReadExactly(buffer);
        return buffer;
    }
}
