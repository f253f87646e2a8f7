using System.Buffers.Binary;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// Whether a file is whole, from the few bytes its format's specification puts at a known place: the PNG IEND
/// chunk, the JPEG end-of-image marker, the GIF trailer, the RIFF (WAV, WebP) length, the ISO-BMFF (MP4, MOV, M4A)
/// top-level box lengths. A file cut short — a copy that stopped, a download that broke — fails here even when its
/// header (all a metadata reader needs) survived. Formats without such a mark (WebM, FLAC, Ogg, MP3) are left to
/// ffprobe, which reads every packet.
/// </summary>
public static class MediaIntegrity
{
    private static readonly byte[] PngEnd = [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];

    /// <summary>Why the file is not whole, or null when it is (or its format has no such mark).</summary>
    public static string? Problem(string path, string mimeType)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
        var length = file.Length;
        return mimeType switch
        {
            "image/png" => EndsWith(file, PngEnd) ? null : "the PNG has no IEND chunk at its end: truncated",
            "image/jpeg" => Tail(file, 1024).AsSpan().IndexOf([(byte)0xFF, (byte)0xD9]) >= 0 ? null : "the JPEG has no end-of-image marker: truncated",
            "image/gif" => EndsWith(file, [0x3B]) ? null : "the GIF has no trailer byte at its end: truncated",
            "audio/wav" or "image/webp" => RiffProblem(file, length),
            "video/mp4" or "video/quicktime" or "audio/mp4" => BoxProblem(file, length),
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

    /// <summary>The top-level boxes (ftyp, moov, mdat, …) must end exactly where the file ends.</summary>
    private static string? BoxProblem(FileStream file, long length)
    {
        long offset = 0;
        while (offset < length)
        {
            var header = Read(file, offset, 16);
            if (header.Length < 8) return $"a box header at byte {offset:N0} is cut short: truncated";
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (size == 1)
            {
                if (header.Length < 16) return $"a box header at byte {offset:N0} is cut short: truncated";
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
            }
            else if (size == 0) return null; // the last box runs to the end of the file
            if (size < 8) return $"a box at byte {offset:N0} has an impossible size ({size}): damaged";
            if (offset + size > length)
                return $"the '{System.Text.Encoding.ASCII.GetString(header, 4, 4)}' box at byte {offset:N0} needs {size:N0} bytes, the file ends {length - offset:N0} bytes after it starts: truncated";
            offset += size;
        }
        return null;
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
