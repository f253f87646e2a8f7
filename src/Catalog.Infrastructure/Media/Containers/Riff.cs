using System.Buffers.Binary;
using System.Text;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// RIFF files: WAV (and RF64/BW64, the WAV past 4 GiB, whose lengths are in its <c>ds64</c> chunk) and AVI. The RIFF
/// length must fit in the file (0 or 0xFFFFFFFF: written to a pipe, unknown), and so must every chunk. A WAV's sample rate and byte rate come from its <c>fmt </c> chunk and its length from the <c>data</c>
/// chunk's size (what the file holds, when the size was left unknown); an AVI's picture size from its main header and its
/// frame rate and length from its first video stream header (<c>strh</c>: rate/scale, length).
/// <para>AIFF and AIFF-C, RIFF's big-endian elder (EA IFF 85: <c>FORM</c>, then chunks), by <see cref="ReadAiff"/>: the
/// <c>FORM</c> length must fit in the file, and so must every chunk; the sample rate, frame count and sample size come from
/// the common chunk (<c>COMM</c>), and an uncompressed file's sound data (<c>SSND</c>) must hold every frame.</para>
/// <para>Sony Wave64 (<c>.w64</c>, what sox and ffmpeg write for a WAV past 4 GiB), by <see cref="ReadWave64"/>: RIFF with
/// 16-byte GUIDs for ids and 64-bit lengths that count the chunk's own 24-byte header, each chunk padded to 8 bytes; its
/// <c>fmt </c> and <c>data</c> chunks read as a WAV's.</para>
/// </summary>
internal static class Riff
{
    public static ContainerReport Read(ContainerFile file)
    {
        var header = file.Exactly(0, 12, "the RIFF header");
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var form = Encoding.Latin1.GetString(header.Slice(8, 4));
        var unknown = size is 0 or uint.MaxValue;
        var end = unknown ? file.Length : size + 8L;
        if (header.StartsWith("RF64"u8) || header.StartsWith("BW64"u8))
        {
            // RF64/BW64 (EBU Tech 3306, ITU-R BS.2088): a WAV past 4 GiB; its true length is in the first chunk, 'ds64'.
            var ds64 = file.Exactly(12, 16, "the ds64 chunk");
            if (!ds64.StartsWith("ds64"u8)) return ContainerReport.Damaged("an RF64 file without its 'ds64' chunk first: damaged");
            end = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(ds64[8..]), long.MaxValue - 8) + 8;
        }
        if (end > file.Length) return ContainerReport.Damaged($"the RIFF header declares {end:N0} bytes, the file has {file.Length:N0}: truncated");
        return form switch
        {
            "WAVE" => Wave(file, end),
            "AVI " => Avi(file, end),
            _ => ContainerReport.Read(MediaFacts.None, complete: false),
        };
    }

    /// <summary>Wave64's GUIDs: its file header's and form's, and the suffix the ids of its chunks share after their four letters.</summary>
    public static ReadOnlySpan<byte> Wave64Guid => [0x72, 0x69, 0x66, 0x66, 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00];
    public static ReadOnlySpan<byte> Wave64Form => [0x77, 0x61, 0x76, 0x65, 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A];
    private static ReadOnlySpan<byte> Wave64Suffix => Wave64Form[4..];

    public static ContainerReport ReadWave64(ContainerFile file)
    {
        var header = file.Exactly(0, 40, "the Wave64 header");
        var end = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(header[16..]), long.MaxValue);
        if (end > file.Length) return ContainerReport.Damaged($"the Wave64 header declares {end:N0} bytes, the file has {file.Length:N0}: truncated");
        return Wave(file, Wave64Chunks(file, 40, end));
    }

    /// <summary>Wave64's chunks, each (id, body offset, body length): the id its GUID's four letters when the GUID is one of Wave64's own.</summary>
    private static IEnumerable<(string Id, long At, long Length)> Wave64Chunks(ContainerFile file, long offset, long end)
    {
        while (offset + 24 <= end)
        {
            var header = file.Exactly(offset, 24, "a Wave64 chunk header").ToArray();
            var id = header.AsSpan(4, 12).SequenceEqual(Wave64Suffix) ? Encoding.Latin1.GetString(header, 0, 4) : "";
            var size = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(16));
            if (size < 24 || size > (ulong)(end - offset))
                throw new CutShortException($"the Wave64 chunk at byte {offset:N0} needs {size:N0} bytes, {end - offset:N0} are there: truncated or damaged");
            yield return (id, offset + 24, (long)size - 24);
            offset += ((long)size + 7) & ~7L;
        }
    }

    public static ContainerReport ReadAiff(ContainerFile file)
    {
        var header = file.Exactly(0, 12, "the FORM header");
        var end = BinaryPrimitives.ReadUInt32BigEndian(header[4..]) + 8L;
        var compressed = Encoding.Latin1.GetString(header.Slice(8, 4)) == "AIFC";
        if (end > file.Length) return ContainerReport.Damaged($"the FORM header declares {end:N0} bytes, the file has {file.Length:N0}: truncated");

        (int Channels, uint Frames, int Bits, double Rate)? common = null;
        long? sound = null;
        foreach (var (id, at, length) in Chunks(file, 12, end, lastMayRunOn: false, bigEndian: true))
        {
            if (id == "COMM" && length >= 18)
            {
                var c = file.Exactly(at, 18, "the common chunk");
                common = (BinaryPrimitives.ReadInt16BigEndian(c), BinaryPrimitives.ReadUInt32BigEndian(c[2..]),
                    BinaryPrimitives.ReadInt16BigEndian(c[6..]), Extended(c[8..18]));
            }
            else if (id == "SSND" && length >= 8) sound = length - 8 - file.UInt32BE(at, "the sound data's offset");
        }
        if (common is not { Rate: >= 1 and <= 10_000_000 } comm) return ContainerReport.Damaged("no common chunk ('COMM') with a sample rate in the AIFF file: damaged");
        if (comm.Frames > 0 && sound is null) return ContainerReport.Damaged("no sound data chunk ('SSND') in the AIFF file: truncated or damaged");
        var needed = (long)comm.Frames * Math.Max(comm.Channels, 0) * ((Math.Max(comm.Bits, 0) + 7) / 8);
        if (!compressed && sound < needed)
            return ContainerReport.Damaged($"the AIFF's sound data holds {sound:N0} bytes of the {needed:N0} its {comm.Frames:N0} frames need: truncated");
        return ContainerReport.Read(new MediaFacts(null, null, Math.Round(comm.Frames / comm.Rate, 3), null, (int)Math.Round(comm.Rate)));
    }

    /// <summary>An 80-bit IEEE 754 extended number (AIFF's sample rate): sign and 15-bit exponent, then a 64-bit mantissa with its integer bit.</summary>
    private static double Extended(ReadOnlySpan<byte> bytes)
    {
        var exponent = ((bytes[0] & 0x7F) << 8) | bytes[1];
        var mantissa = BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
        if (exponent == 0x7FFF) return double.NaN;
        var value = mantissa * Math.Pow(2, exponent - 16383 - 63);
        return (bytes[0] & 0x80) != 0 ? -value : value;
    }

    private static ContainerReport Wave(ContainerFile file, long end) => Wave(file, Chunks(file, 12, end, lastMayRunOn: true));

    /// <summary>A WAV's (or Wave64's) numbers from its chunks: the sample and byte rates from <c>fmt </c>, the length from <c>data</c>.</summary>
    private static ContainerReport Wave(ContainerFile file, IEnumerable<(string Id, long At, long Length)> chunks)
    {
        int? rate = null;
        uint byteRate = 0;
        long? data = null;
        foreach (var (id, at, length) in chunks)
        {
            if (id == "fmt " && length >= 16)
            {
                var format = file.Exactly(at, 16, "the format chunk");
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(format[4..]);
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(format[8..]);
            }
            else if (id == "data") data = length;
        }
        double? seconds = data is { } bytes && byteRate > 0 ? Math.Round(bytes / (double)byteRate, 3) : null;
        return ContainerReport.Read(new MediaFacts(null, null, seconds, null, rate is > 0 ? rate : null), complete: rate is not null);
    }

    private static ContainerReport Avi(ContainerFile file, long end)
    {
        int? width = null, height = null, fps = null;
        double? seconds = null;
        foreach (var (id, at, length) in Chunks(file, 12, end, lastMayRunOn: false))
        {
            if (id != "LIST" || length < 4 || Encoding.Latin1.GetString(file.Exactly(at, 4, "a list")) != "hdrl") continue;
            foreach (var (hid, hat, hlength) in Chunks(file, at + 4, at + length, lastMayRunOn: false))
            {
                if (hid == "avih" && hlength >= 40)
                {
                    var main = file.Exactly(hat, 40, "the AVI header");
                    width = (int)BinaryPrimitives.ReadUInt32LittleEndian(main[32..]);
                    height = (int)BinaryPrimitives.ReadUInt32LittleEndian(main[36..]);
                }
                else if (hid == "LIST" && hlength >= 4 && fps is null && Encoding.Latin1.GetString(file.Exactly(hat, 4, "a list")) == "strl")
                {
                    foreach (var (sid, sat, slength) in Chunks(file, hat + 4, hat + hlength, lastMayRunOn: false))
                    {
                        if (sid != "strh" || slength < 36) continue;
                        var stream = file.Exactly(sat, 36, "a stream header");
                        if (Encoding.Latin1.GetString(stream[..4]) != "vids") break;
                        var (scale, rate, frames) = (BinaryPrimitives.ReadUInt32LittleEndian(stream[20..]),
                            BinaryPrimitives.ReadUInt32LittleEndian(stream[24..]), BinaryPrimitives.ReadUInt32LittleEndian(stream[32..]));
                        if (scale > 0 && rate > 0)
                        {
                            fps = (int)Math.Round(rate / (double)scale);
                            seconds = Math.Round(frames * (double)scale / rate, 3);
                        }
                    }
                }
            }
        }
        return ContainerReport.Read(new MediaFacts(width > 0 ? width : null, height > 0 ? height : null, seconds, fps, null), complete: fps is not null);
    }

    /// <summary>The chunks from <paramref name="offset"/> to <paramref name="end"/>, each (id, body offset, body length); one running past the end is damage. Lengths are little-endian (RIFF) or big-endian (IFF).</summary>
    private static IEnumerable<(string Id, long At, long Length)> Chunks(ContainerFile file, long offset, long end, bool lastMayRunOn, bool bigEndian = false)
    {
        while (offset + 8 <= end)
        {
            var header = file.Exactly(offset, 8, "a chunk header").ToArray();
            var id = Encoding.Latin1.GetString(header, 0, 4);
            long length = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)) : BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (offset + 8 + length > end)
            {
                // A WAV written to a pipe leaves its data size unknown (0 or 0xFFFFFFFF): the data is what the file holds.
                if (!lastMayRunOn) throw new CutShortException($"the '{id.TrimEnd()}' chunk at byte {offset:N0} needs {length:N0} bytes, {end - offset - 8:N0} are there: truncated");
                length = end - offset - 8;
            }
            else if (lastMayRunOn && length == 0 && id == "data") length = end - offset - 8;
            yield return (id, offset + 8, length);
            offset += 8 + length + (length & 1);
        }
    }
}
