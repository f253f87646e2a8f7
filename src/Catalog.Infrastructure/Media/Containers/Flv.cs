using System.Buffers.Binary;
using System.Text;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// Flash Video (<c>.flv</c>, Adobe's FLV specification 10.1): "FLV", its header, then tag after tag — type, 24-bit size,
/// timestamp, stream id, the data, and the size of the tag just ended — to exactly the end of the file. The numbers come
/// from the <c>onMetaData</c> script tag every muxer writes (AMF0: <c>duration</c>, <c>width</c>, <c>height</c>,
/// <c>framerate</c>, <c>audiosamplerate</c>), which is what ffprobe reads too; a file without one is left to it.
/// </summary>
internal static class Flv
{
    public static ContainerReport Read(ContainerFile file)
    {
        var header = file.Exactly(0, 9, "the FLV header");
        long offset = BinaryPrimitives.ReadUInt32BigEndian(header[5..]) + 4L; // the header, then the first "previous tag size" (0)
        if (offset > file.Length) return ContainerReport.Damaged("the FLV header is cut short: truncated");
        Dictionary<string, double>? meta = null;
        while (offset < file.Length)
        {
            var tag = file.Exactly(offset, 11, "a tag header");
            var size = (tag[1] << 16) | (tag[2] << 8) | tag[3];
            var end = offset + 11 + size + 4;
            if (end > file.Length)
                return ContainerReport.Damaged($"the tag at byte {offset:N0} needs {11 + size + 4:N0} bytes, the file ends {file.Length - offset:N0} bytes after it starts: truncated");
            if (file.UInt32BE(end - 4, "a tag's closing size") != 11 + size)
                return ContainerReport.Damaged($"the tag at byte {offset:N0} does not close with its own size: damaged");
            if ((tag[0] & 0x1F) == 18 && meta is null && size <= 60_000) meta = MetaData(file.At(offset + 11, size));
            offset = end;
        }
        if (meta is null) return ContainerReport.Read(MediaFacts.None, complete: false);
        int? Whole(string key) => meta.TryGetValue(key, out var v) && v is > 0 and < int.MaxValue ? (int)Math.Round(v) : null;
        var duration = meta.TryGetValue("duration", out var d) && d > 0 ? Math.Round(d, 3) : (double?)null;
        var facts = new MediaFacts(Whole("width"), Whole("height"), duration, Whole("framerate"), Whole("audiosamplerate"));
        return ContainerReport.Read(facts, complete: duration is not null && (facts.Width is not null || facts.SampleRate is not null));
    }

    /// <summary>The numbers of an <c>onMetaData</c> script tag (AMF0: the name, then an ECMA array or an object of named values); null for another tag.</summary>
    private static Dictionary<string, double>? MetaData(ReadOnlySpan<byte> data)
    {
        if (data.Length < 13 || data[0] != 2 || BinaryPrimitives.ReadUInt16BigEndian(data[1..]) != 10 || !data.Slice(3, 10).SequenceEqual("onMetaData"u8)) return null;
        var values = new Dictionary<string, double>();
        var at = 13;
        if (at < data.Length && data[at] == 8) at += 5; // an ECMA array: its type and a count that may not be right
        else if (at < data.Length && data[at] == 3) at += 1; // an object
        else return values;
        while (at + 2 <= data.Length)
        {
            var nameLength = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
            at += 2;
            if (nameLength == 0 || at + nameLength >= data.Length) break; // the end marker (0, 0, 9), or cut short
            var name = Encoding.UTF8.GetString(data.Slice(at, nameLength));
            at += nameLength;
            var type = data[at++];
            if (type == 0 && at + 8 <= data.Length) values[name] = BinaryPrimitives.ReadDoubleBigEndian(data[at..]);
            var skip = type switch
            {
                0 => 8, // number
                1 => 1, // boolean
                2 when at + 2 <= data.Length => 2 + BinaryPrimitives.ReadUInt16BigEndian(data[at..]), // string
                5 or 6 => 0, // null, undefined
                11 => 10, // date
                12 when at + 4 <= data.Length => 4 + (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data[at..]), int.MaxValue - 4), // long string
                _ => -1, // a nested object or array: the numbers wanted are before it, as muxers write them
            };
            if (skip < 0) break;
            at += skip;
        }
        return values;
    }
}
