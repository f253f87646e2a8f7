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
        if (!HasMarks(mimeType)) return null;
        using var file = FileSystem.OpenToRead(path);
        var length = file.Length;
        var head = Read(file, 0, HeadNeeded);
        var tail = Read(file, Math.Max(0, length - Blobs.StagedBlob.TailLength), Blobs.StagedBlob.TailLength);
        return ImageProblem(head, tail, length, mimeType);
    }

    /// <summary>
    /// Why an image is not whole, from its first bytes, its last bytes (at least the last 1,024, or all of a shorter file) and
    /// its length: what staging keeps in memory (<c>StagedBlob.Head</c>, <c>Tail</c>), so a staged image is checked without
    /// opening it again. Null when whole, or for a format without such marks.
    /// </summary>
    public static string? ImageProblem(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long length, string mimeType) => mimeType switch
    {
        "image/png" => tail.EndsWith(PngEnd) ? null : "the PNG has no IEND chunk at its end: truncated",
        "image/jpeg" => tail[Math.Max(0, tail.Length - Blobs.StagedBlob.TailLength)..].IndexOf([(byte)0xFF, (byte)0xD9]) >= 0 ? null : "the JPEG has no end-of-image marker: truncated",
        "image/gif" => tail.EndsWith([(byte)0x3B]) ? null : "the GIF has no trailer byte at its end: truncated",
        "image/webp" => RiffProblem(head, length),
        _ => null,
    };

    /// <summary>Whether <see cref="ImageProblem"/> knows the format's marks.</summary>
    public static bool HasMarks(string mimeType) => mimeType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";

    private const int HeadNeeded = 8;

    private static string? RiffProblem(ReadOnlySpan<byte> head, long length)
    {
        if (head.Length < 8) return "the RIFF header is cut short: truncated";
        var size = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
        if (size is 0 or uint.MaxValue) return null; // written by a stream that could not go back to say (ffmpeg to a pipe): unknown
        var declared = size + 8L;
        return declared > length ? $"the RIFF header declares {declared:N0} bytes, the file has {length:N0}: truncated" : null;
    }

    private static byte[] Read(FileStream file, long offset, int count)
    {
        var buffer = new byte[(int)Math.Min(count, Math.Max(0, file.Length - offset))];
        file.Position = offset;
        file.ReadExactly(buffer);
        return buffer;
    }
}
