using System.Buffers.Binary;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// Ogg, after RFC 3533: page follows page, each header giving its own length, to exactly the end of the file, and the
/// last page closes its stream (end-of-stream flag). Vorbis and Opus are read: the sample rate from the identification
/// header, the length from the last granule position (less Opus's pre-skip). Other codecs in Ogg (FLAC, Theora, Speex)
/// are checked but not read.
/// </summary>
internal static class Ogg
{
    public static ContainerReport Read(ContainerFile file)
    {
        long offset = 0;
        uint? serial = null;
        long lastGranule = -1;
        var endsStream = false;
        var rate = 0;
        var preSkip = 0;
        var opus = false;
        while (offset < file.Length)
        {
            var page = file.Exactly(offset, 27, "a page header");
            if (!page.StartsWith("OggS"u8)) return ContainerReport.Damaged($"no page at byte {offset:N0} where one should start: damaged");
            var flags = page[5];
            var granule = BinaryPrimitives.ReadInt64LittleEndian(page[6..]);
            var pageSerial = BinaryPrimitives.ReadUInt32LittleEndian(page[14..]);
            int segments = page[26];
            var lacing = file.Exactly(offset + 27, segments, "a page's segment table");
            var bodyLength = 0;
            foreach (var b in lacing) bodyLength += b;
            var body = offset + 27 + segments;
            if (body + bodyLength > file.Length)
                return ContainerReport.Damaged($"the page at byte {offset:N0} needs {27 + segments + bodyLength:N0} bytes, the file ends {file.Length - offset:N0} bytes after it starts: truncated");

            if (serial is null && (flags & 0x02) != 0) // the first stream's first page: its codec's identification header
            {
                serial = pageSerial;
                var head = file.At(body, Math.Min(bodyLength, 30));
                if (head.Length >= 16 && head[0] == 1 && head[1..7].SequenceEqual("vorbis"u8)) rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(head[12..]);
                else if (head.Length >= 19 && head.StartsWith("OpusHead"u8))
                {
                    (opus, rate, preSkip) = (true, 48_000, BinaryPrimitives.ReadUInt16LittleEndian(head[10..])); // Opus always decodes at 48 kHz
                }
            }
            if (pageSerial == serial && granule >= 0) lastGranule = granule;
            endsStream = (flags & 0x04) != 0;
            offset = body + bodyLength;
        }
        if (!endsStream) return ContainerReport.Damaged("the last page does not end its stream: truncated");
        if (rate <= 0) return ContainerReport.Read(MediaFacts.None, complete: false);
        double? seconds = lastGranule > preSkip ? Math.Round((lastGranule - preSkip) / (double)rate, 3) : null;
        return ContainerReport.Read(new MediaFacts(null, null, seconds, null, opus ? 48_000 : rate));
    }
}
