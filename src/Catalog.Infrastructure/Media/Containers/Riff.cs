using System.Buffers.Binary;
using System.Text;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// RIFF files: WAV and AVI. The RIFF length must fit in the file (0 or 0xFFFFFFFF: written to a pipe, unknown), and so
/// must every chunk. A WAV's sample rate and byte rate come from its <c>fmt </c> chunk and its length from the <c>data</c>
/// chunk's size (what the file holds, when the size was left unknown); an AVI's picture size from its main header and its
/// frame rate and length from its first video stream header (<c>strh</c>: rate/scale, length).
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
        if (end > file.Length) return ContainerReport.Damaged($"the RIFF header declares {end:N0} bytes, the file has {file.Length:N0}: truncated");
        return form switch
        {
            "WAVE" => Wave(file, end),
            "AVI " => Avi(file, end),
            _ => ContainerReport.Read(MediaFacts.None, complete: false),
        };
    }

    private static ContainerReport Wave(ContainerFile file, long end)
    {
        int? rate = null;
        uint byteRate = 0;
        long? data = null;
        foreach (var (id, at, length) in Chunks(file, 12, end, lastMayRunOn: true))
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

    /// <summary>The chunks from <paramref name="offset"/> to <paramref name="end"/>, each (id, body offset, body length); one running past the end is damage.</summary>
    private static IEnumerable<(string Id, long At, long Length)> Chunks(ContainerFile file, long offset, long end, bool lastMayRunOn)
    {
        while (offset + 8 <= end)
        {
            var header = file.Exactly(offset, 8, "a chunk header").ToArray();
            var id = Encoding.Latin1.GetString(header, 0, 4);
            long length = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
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
