using System.Buffers.Binary;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// Ogg, after RFC 3533: page follows page, each header giving its own length, to exactly the end of the file, and the
/// last page closes its stream (end-of-stream flag). Vorbis, Opus and FLAC are read: the sample rate from the
/// identification header (FLAC's STREAMINFO, after its Ogg mapping's 13 bytes), the length from the last granule position
/// (a count of samples; less Opus's pre-skip). Other codecs in Ogg (Speex, Theora) are checked but not read.
/// </summary>
internal static class Ogg
{
    /// <summary>Whether the file's first stream is Theora video: the first page's packet (after the 27-byte page header and its segment table) starts 0x80 "theora".</summary>
    public static bool StartsWithTheora(ReadOnlySpan<byte> head)
    {
        if (head.Length < 27) return false;
        var packet = 27 + head[26];
        return head.Length >= packet + 7 && head[packet] == 0x80 && head.Slice(packet + 1, 6).SequenceEqual("theora"u8);
    }

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
                // 0x7F "FLAC", the mapping's version (2) and header count (2), "fLaC", STREAMINFO's block header (4), then
                // STREAMINFO: block sizes (2 + 2), frame sizes (3 + 3), the sample rate in the next 20 bits
                else if (head.Length >= 30 && head[0] == 0x7F && head[1..5].SequenceEqual("FLAC"u8) && head[9..13].SequenceEqual("fLaC"u8))
                    rate = (head[27] << 12) | (head[28] << 4) | (head[29] >> 4);
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
