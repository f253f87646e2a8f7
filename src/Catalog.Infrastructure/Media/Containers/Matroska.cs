using System.Buffers.Binary;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// Matroska and WebM, after RFC 9559: every element inside the segment must fit in it, and the segment in the file
/// (an element cut short is a truncated file; clusters of unknown size, as live recordings write them, are walked
/// through their blocks). The length is the segment's <c>Duration</c>; the picture size and sampling frequency come from
/// the first video and audio tracks; the frame rate from the video track's <c>DefaultDuration</c>, else from its blocks
/// counted over the length.
/// </summary>
internal static class Matroska
{
    private const uint Ebml = 0x1A45DFA3, Segment = 0x18538067, Info = 0x1549A966, Tracks = 0x1654AE6B, Cluster = 0x1F43B675;
    private const uint TrackEntry = 0xAE, TrackNumber = 0xD7, TrackType = 0x83, DefaultDuration = 0x23E383, Video = 0xE0, Audio = 0xE1;
    private const uint PixelWidth = 0xB0, PixelHeight = 0xBA, SamplingFrequency = 0xB5, TimestampScale = 0x2AD7B1, Duration = 0x4489;
    private const uint SimpleBlock = 0xA3, BlockGroup = 0xA0, Block = 0xA1;

    /// <summary>The IDs that may follow a cluster of unknown size at the segment's level (they end it).</summary>
    private static readonly HashSet<uint> SegmentLevel = [0x114D9B74, Info, Tracks, Cluster, 0x1C53BB6B, 0x1941A469, 0x1043A770, 0x1254C367];

    private sealed class Track
    {
        public ulong Number, Type, DefaultDuration;
        public ulong Width, Height;
        public double SampleRate;
    }

    private sealed class State
    {
        public ulong Scale = 1_000_000;
        public double? Duration;
        public readonly List<Track> Tracks = [];
        public long VideoBlocks;
    }

    public static ContainerReport Read(ContainerFile file)
    {
        long offset = 0;
        var state = new State();
        var segments = 0;
        while (offset < file.Length)
        {
            var (id, size, header) = Element(file, offset, file.Length);
            if (id == Segment)
            {
                segments++;
                var end = size is { } known ? offset + header + known : file.Length;
                Children(file, offset + header, end, state, unknownSize: size is null);
                offset = end;
            }
            else if (size is { } length) offset += header + length;
            else return ContainerReport.Damaged($"an element of unknown size at byte {offset:N0} outside the segment: damaged");
        }
        if (segments == 0) return ContainerReport.Damaged("no segment in the file: truncated or damaged");

        var video = state.Tracks.FirstOrDefault(t => t.Type == 1);
        var audio = state.Tracks.FirstOrDefault(t => t.Type == 2);
        double? seconds = state.Duration is { } d && d > 0 ? Math.Round(d * state.Scale / 1e9, 3) : null;
        int? fps = video is { DefaultDuration: > 0 }
            ? (int)Math.Round(1e9 / video.DefaultDuration)
            : video is not null && seconds > 0 && state.VideoBlocks > 0 ? (int)Math.Round(state.VideoBlocks / seconds.Value) : null;
        return ContainerReport.Read(new MediaFacts(
            video is { Width: > 0 } ? (int)video.Width : null,
            video is { Height: > 0 } ? (int)video.Height : null,
            seconds, fps,
            audio is { SampleRate: > 0 } ? (int)Math.Round(audio.SampleRate) : null), complete: video is not null || audio is not null);
    }

    private static void Children(ContainerFile file, long offset, long end, State state, bool unknownSize)
    {
        var videoTrack = state.Tracks.FirstOrDefault(t => t.Type == 1)?.Number;
        while (offset < end)
        {
            var (id, size, header) = Element(file, offset, end);
            var body = offset + header;
            if (size is null && id != Cluster)
                throw new CutShortException($"an element of unknown size at byte {offset:N0} that cannot have one: damaged");
            switch (id)
            {
                case Info:
                    Fields(file, body, body + size!.Value, (fid, at, length) =>
                    {
                        if (fid == TimestampScale) state.Scale = UInt(file, at, length);
                        else if (fid == Duration) state.Duration = Float(file, at, length);
                    });
                    break;
                case Tracks:
                    Fields(file, body, body + size!.Value, (fid, at, length) =>
                    {
                        if (fid == TrackEntry) state.Tracks.Add(ReadTrack(file, at, at + length));
                    });
                    videoTrack = state.Tracks.FirstOrDefault(t => t.Type == 1)?.Number;
                    break;
                case Cluster:
                    var clusterEnd = size is { } known ? body + known : end;
                    var next = Blocks(file, body, clusterEnd, videoTrack, state, size is null);
                    offset = next;
                    continue;
            }
            offset = body + size!.Value;
        }
        if (!unknownSize && offset != end) throw new CutShortException("the segment's elements do not end where it ends: damaged");
    }

    /// <summary>Walks a cluster's blocks, counting the video track's; returns where the cluster ends.</summary>
    private static long Blocks(ContainerFile file, long offset, long end, ulong? videoTrack, State state, bool unknownSize)
    {
        while (offset < end)
        {
            var id = Id(file, offset, out _);
            if (unknownSize && SegmentLevel.Contains(id)) return offset; // the next cluster (or cues, tags) ends this one
            var (_, size, header) = Element(file, offset, end);
            if (size is null) throw new CutShortException($"a block of unknown size at byte {offset:N0}: damaged");
            var body = offset + header;
            if (id == SimpleBlock) Count(file, body, videoTrack, state);
            else if (id == BlockGroup)
                Fields(file, body, body + size.Value, (fid, at, _) => { if (fid == Block) Count(file, at, videoTrack, state); });
            offset = body + size.Value;
        }
        return end;
    }

    private static void Count(ContainerFile file, long body, ulong? videoTrack, State state)
    {
        if (videoTrack is { } video && VInt(file, body, out _) == video) state.VideoBlocks++;
    }

    private static Track ReadTrack(ContainerFile file, long offset, long end)
    {
        var track = new Track();
        Fields(file, offset, end, (id, at, length) =>
        {
            switch (id)
            {
                case TrackNumber: track.Number = UInt(file, at, length); break;
                case TrackType: track.Type = UInt(file, at, length); break;
                case DefaultDuration: track.DefaultDuration = UInt(file, at, length); break;
                case Video:
                    Fields(file, at, at + length, (vid, vat, vlength) =>
                    {
                        if (vid == PixelWidth) track.Width = UInt(file, vat, vlength);
                        else if (vid == PixelHeight) track.Height = UInt(file, vat, vlength);
                    });
                    break;
                case Audio:
                    Fields(file, at, at + length, (aid, aat, alength) =>
                    {
                        if (aid == SamplingFrequency) track.SampleRate = Float(file, aat, alength) ?? 0;
                    });
                    break;
            }
        });
        return track;
    }

    /// <summary>The child elements of a master element of known size, each handed over as (id, body offset, body length).</summary>
    private static void Fields(ContainerFile file, long offset, long end, Action<uint, long, long> each)
    {
        while (offset < end)
        {
            var (id, size, header) = Element(file, offset, end);
            if (size is null) throw new CutShortException($"an element of unknown size at byte {offset:N0} inside one of known size: damaged");
            each(id, offset + header, size.Value);
            offset += header + size.Value;
        }
    }

    /// <summary>An element's ID, its size (null: unknown) and header length; one running past its parent is damage.</summary>
    private static (uint Id, long? Size, int Header) Element(ContainerFile file, long offset, long end)
    {
        var id = Id(file, offset, out var idLength);
        var size = VInt(file, offset + idLength, out var sizeLength, allOnesIsUnknown: true);
        var header = idLength + sizeLength;
        if (size is null) return (id, null, header);
        if (offset + header + (long)size.Value > end)
            throw new CutShortException(end == file.Length
                ? $"an element at byte {offset:N0} needs {header + (long)size.Value:N0} bytes, the file ends {end - offset:N0} bytes after it starts: truncated"
                : $"an element at byte {offset:N0} runs past the element that holds it: damaged");
        return (id, (long)size.Value, header);
    }

    private static uint Id(ContainerFile file, long offset, out int length)
    {
        var first = file.Exactly(offset, 1, "an element")[0];
        length = first >= 0x80 ? 1 : first >= 0x40 ? 2 : first >= 0x20 ? 3 : first >= 0x10 ? 4 : 0;
        if (length == 0) throw new CutShortException($"an invalid element ID at byte {offset:N0}: damaged");
        var bytes = file.Exactly(offset, length, "an element ID");
        uint id = 0;
        foreach (var b in bytes) id = id << 8 | b;
        return id;
    }

    /// <summary>A variable-size integer (its length marker removed); null for the all-ones "unknown" value when asked.</summary>
    private static ulong? VInt(ContainerFile file, long offset, out int length, bool allOnesIsUnknown = false)
    {
        var first = file.Exactly(offset, 1, "an element size")[0];
        length = first == 0 ? 0 : System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 23;
        if (length is < 1 or > 8) throw new CutShortException($"an invalid element size at byte {offset:N0}: damaged");
        var bytes = file.Exactly(offset, length, "an element size");
        ulong value = (ulong)(bytes[0] & (0xFF >> length));
        var allOnes = value == (ulong)(0xFF >> length);
        for (var i = 1; i < length; i++)
        {
            value = value << 8 | bytes[i];
            allOnes &= bytes[i] == 0xFF;
        }
        return allOnesIsUnknown && allOnes ? null : value;
    }

    private static ulong UInt(ContainerFile file, long offset, long length)
    {
        if (length is < 0 or > 8) return 0;
        ulong value = 0;
        foreach (var b in file.Exactly(offset, (int)length, "a number")) value = value << 8 | b;
        return value;
    }

    private static double? Float(ContainerFile file, long offset, long length) => length switch
    {
        4 => BinaryPrimitives.ReadSingleBigEndian(file.Exactly(offset, 4, "a number")),
        8 => BinaryPrimitives.ReadDoubleBigEndian(file.Exactly(offset, 8, "a number")),
        _ => null,
    };
}
