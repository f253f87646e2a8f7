using System.Buffers.Binary;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// Windows Media (ASF: <c>.wmv</c>, <c>.wma</c>, <c>.asf</c>): top-level objects — a GUID and a 64-bit size each — from
/// the header object to exactly the end of the file (the data object, then the indexes). The length is the file
/// properties' play duration less the preroll (what ffprobe gives), the picture size and sample rate the stream
/// properties'. A video's frame rate is not in its headers: with a picture, ffprobe (when there is one) is asked for it.
/// </summary>
internal static class Asf
{
    public static ReadOnlySpan<byte> HeaderGuid => [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C];
    private static ReadOnlySpan<byte> FileProperties => [0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11, 0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65];
    private static ReadOnlySpan<byte> StreamProperties => [0x91, 0x07, 0xDC, 0xB7, 0xB7, 0xA9, 0xCF, 0x11, 0x8E, 0xE6, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65];
    private static ReadOnlySpan<byte> AudioMedia => [0x40, 0x9E, 0x69, 0xF8, 0x4D, 0x5B, 0xCF, 0x11, 0xA8, 0xFD, 0x00, 0x80, 0x5F, 0x5C, 0x44, 0x2B];
    private static ReadOnlySpan<byte> VideoMedia => [0xC0, 0xEF, 0x19, 0xBC, 0x4D, 0x5B, 0xCF, 0x11, 0xA8, 0xFD, 0x00, 0x80, 0x5F, 0x5C, 0x44, 0x2B];

    /// <summary>Whether a header in these first bytes describes a video stream (the stream properties' type is the video media GUID).</summary>
    public static bool HasVideo(ReadOnlySpan<byte> head) => head.IndexOf(VideoMedia) >= 0;

    public static ContainerReport Read(ContainerFile file)
    {
        long offset = 0;
        int? width = null, height = null, rate = null;
        double? seconds = null;
        var video = false;
        while (offset < file.Length)
        {
            var header = file.Exactly(offset, 24, "an object header");
            var size = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
            if (size < 24 || size > file.Length - offset)
                return ContainerReport.Damaged($"the object at byte {offset:N0} declares {size:N0} bytes, {file.Length - offset:N0} are left: truncated");
            if (offset == 0)
            {
                if (!header[..16].SequenceEqual(HeaderGuid)) return ContainerReport.Damaged("the file does not start with an ASF header object: damaged");
                var count = file.UInt32LE(24, "the header object's count");
                var at = 30L;
                for (var i = 0; i < count && at + 24 <= size; i++)
                {
                    var sub = file.Exactly(at, 24, "a header object").ToArray();
                    var subSize = BinaryPrimitives.ReadInt64LittleEndian(sub.AsSpan(16));
                    if (subSize < 24 || at + subSize > size) return ContainerReport.Damaged($"a header object at byte {at:N0} runs past the header: damaged");
                    if (sub.AsSpan(0, 16).SequenceEqual(FileProperties) && subSize >= 104)
                    {
                        var p = file.Exactly(at + 24, 80, "the file properties");
                        var play = BinaryPrimitives.ReadUInt64LittleEndian(p[40..]) / 1e7 - BinaryPrimitives.ReadUInt64LittleEndian(p[56..]) / 1e3;
                        if (play > 0) seconds = Math.Round(play, 3);
                    }
                    else if (sub.AsSpan(0, 16).SequenceEqual(StreamProperties) && subSize >= 78 + 24)
                    {
                        var s = file.Exactly(at + 24, 78, "the stream properties");
                        if (s[..16].SequenceEqual(VideoMedia) && !video && s.Length >= 62)
                        {
                            (video, width, height) = (true, (int)BinaryPrimitives.ReadUInt32LittleEndian(s[54..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(s[58..]));
                        }
                        else if (s[..16].SequenceEqual(AudioMedia) && rate is null) rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(s[58..]);
                    }
                    at += subSize;
                }
            }
            offset += size;
        }
        var facts = new MediaFacts(width > 0 ? width : null, height > 0 ? height : null, seconds, null, video ? null : rate);
        return ContainerReport.Read(facts, complete: !video && rate is not null && seconds is not null);
    }
}
