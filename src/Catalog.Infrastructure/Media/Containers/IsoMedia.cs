using System.Buffers.Binary;
using System.Text;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// ISO base media files (MP4, MOV, M4A), after ISO/IEC 14496-12: the top-level boxes must end exactly where the file
/// ends; the numbers come from the first video and first audio track — the picture size and sample rate from the sample
/// description (<c>stsd</c>), the length from the edit list (<c>elst</c>) or the media header (<c>mdhd</c>), the frame
/// rate from the sample count and the time-to-sample table (<c>stts</c>). A fragmented file (a browser's or a live
/// encoder's recording, CMAF) describes its samples in movie fragments instead: each fragment's track runs (<c>moof/traf/trun</c>)
/// add their samples and durations, with the defaults of the fragment's header (<c>tfhd</c>) and of the movie's track
/// extends (<c>mvex/trex</c>). Only headers and tables are read.
/// <para>Still images in the same boxes (HEIF: AVIF, HEIC, after ISO/IEC 23008-12) are read by <see cref="ReadImage"/>:
/// the same top-level check, then the picture size from the image properties (<c>meta/iprp/ipco/ispe</c>).</para>
/// </summary>
internal static class IsoMedia
{
    private static readonly HashSet<string> Containers = ["moov", "trak", "mdia", "minf", "stbl", "edts", "mvex"];

    /// <summary>moov/trak/mdia/minf/stbl is the deepest a real file nests; a file nesting far deeper is made to exhaust the stack.</summary>
    private const int MaxDepth = 16;

    private sealed class Movie
    {
        public uint Timescale;
        public readonly List<Track> Tracks = [];
        /// <summary>The track extends' default sample duration by track id (<c>trex</c>, which may come before or after the tracks).</summary>
        public readonly Dictionary<uint, uint> DefaultDurations = [];

        public Track? ById(uint id) => Tracks.FirstOrDefault(t => t.Id == id);
    }

    private sealed class Track
    {
        public uint Id;
        public string? Handler;
        public uint Timescale;
        public ulong MediaDuration;
        public double? EditSeconds;
        public int? Width, Height, SampleRate;
        public ulong Samples, SampleTime;
        /// <summary>Whether movie fragments describe samples of the track (<see cref="Samples"/> and <see cref="SampleTime"/> count them too).</summary>
        public bool Fragmented;
    }

    public static ContainerReport Read(ContainerFile file)
    {
        var (moov, moovEnd) = TopLevel(file, "moov");
        if (moov < 0) return ContainerReport.Damaged("no movie box ('moov') in the file: truncated or damaged");

        var movie = new Movie();
        Walk(file, moov, moovEnd, movie, null, depth: 1);
        Fragments(file, movie);

        var video = movie.Tracks.FirstOrDefault(t => t.Handler == "vide");
        var audio = movie.Tracks.FirstOrDefault(t => t.Handler == "soun");
        var main = video ?? audio;
        if (main is null) return ContainerReport.Read(MediaFacts.None, complete: false);

        double? duration = Seconds(main, movie.Timescale);
        int? fps = video is { Samples: > 0, SampleTime: > 0, Timescale: > 0 }
            ? (int)Math.Round(video.Samples * (double)video.Timescale / video.SampleTime)
            : null;
        return ContainerReport.Read(new MediaFacts(video?.Width, video?.Height, duration, fps, audio?.SampleRate),
            complete: duration is not null && (video is null || fps is not null));
    }

    /// <summary>
    /// A HEIF still image (AVIF, HEIC): the top-level boxes end where the file ends, the metadata box (<c>meta</c>) is
    /// there, and its image properties give a size (<c>ispe</c>). Of several pictures (a thumbnail, the tiles of a grid and
    /// the grid itself) the largest is the image's.
    /// </summary>
    public static ContainerReport ReadImage(ContainerFile file)
    {
        var (meta, metaEnd) = TopLevel(file, "meta");
        if (meta < 0) return ContainerReport.Damaged("no metadata box ('meta') in the HEIF file: truncated or damaged");
        var (width, height) = (0u, 0u);
        // meta is a full box (version and flags first); its properties are in iprp/ipco.
        foreach (var (iprp, iprpEnd) in Children(file, meta + 4, metaEnd, "iprp"))
        foreach (var (ipco, ipcoEnd) in Children(file, iprp, iprpEnd, "ipco"))
        foreach (var (ispe, _) in Children(file, ipco, ipcoEnd, "ispe"))
        {
            var extents = file.Exactly(ispe + 4, 8, "the image's spatial extents");
            var (w, h) = (BinaryPrimitives.ReadUInt32BigEndian(extents), BinaryPrimitives.ReadUInt32BigEndian(extents[4..]));
            if ((ulong)w * h > (ulong)width * height) (width, height) = (w, h);
        }
        return width is > 0 and <= int.MaxValue && height is > 0 and <= int.MaxValue
            ? ContainerReport.Read(new MediaFacts((int)width, (int)height, null, null, null))
            : ContainerReport.Damaged("no picture size ('ispe') in the HEIF file's properties: damaged");
    }

    /// <summary>The body of the first top-level box of a type, (-1, 0) when there is none; every top-level box must end within the file.</summary>
    private static (long Body, long End) TopLevel(ContainerFile file, string wanted)
    {
        long offset = 0, body = -1, end = 0;
        while (offset < file.Length)
        {
            var (size, type, header) = Box(file, offset, file.Length);
            if (size == 0) size = file.Length - offset; // the last box runs to the end of the file
            if (type == wanted && body < 0) (body, end) = (offset + header, offset + size);
            offset += size;
        }
        return (body, end);
    }

    /// <summary>The bodies of the boxes of one type among the boxes from <paramref name="offset"/> to <paramref name="end"/>.</summary>
    private static IEnumerable<(long Body, long End)> Children(ContainerFile file, long offset, long end, string wanted)
    {
        while (offset + 8 <= end)
        {
            var (size, type, header) = Box(file, offset, end);
            if (size == 0) size = end - offset;
            if (type == wanted) yield return (offset + header, offset + size);
            offset += size;
        }
    }

    /// <summary>
    /// The edit list's length, else the media's: the media header's duration, or in a fragmented file (whose movie box
    /// holds few samples or none) the time of every sample, the movie box's and the fragments'.
    /// </summary>
    private static double? Seconds(Track track, uint movieTimescale)
    {
        if (track.EditSeconds is { } edit && edit > 0) return Math.Round(edit, 3);
        var media = track.Fragmented ? Math.Max(track.MediaDuration, track.SampleTime) : track.MediaDuration;
        return track.Timescale > 0 && media > 0 ? Math.Round(media / (double)track.Timescale, 3) : null;
    }

    /// <summary>
    /// The movie fragments (<c>moof</c>) after the movie box: each track fragment (<c>traf</c>) names its track in its
    /// header (<c>tfhd</c>, which may set the default sample duration), and each of its runs (<c>trun</c>) adds its
    /// samples and their durations — each sample's own when the run gives them, else the default.
    /// </summary>
    private static void Fragments(ContainerFile file, Movie movie)
    {
        foreach (var (moof, moofEnd) in Children(file, 0, file.Length, "moof"))
        foreach (var (traf, trafEnd) in Children(file, moof, moofEnd, "traf"))
        {
            if (Children(file, traf, trafEnd, "tfhd").Select(b => (long?)b.Body).FirstOrDefault() is not { } tfhd) continue;
            var flags = file.UInt32BE(tfhd, "a track fragment header") & 0xFFFFFF;
            if (movie.ById(file.UInt32BE(tfhd + 4, "a track fragment header")) is not { } track) continue;
            // after the track id: the base data offset (8 bytes) and the sample description index (4), when flagged
            var defaultDuration = (flags & 0x08) != 0
                ? file.UInt32BE(tfhd + 8 + ((flags & 0x01) != 0 ? 8 : 0) + ((flags & 0x02) != 0 ? 4 : 0), "a track fragment header")
                : movie.DefaultDurations.GetValueOrDefault(track.Id);
            foreach (var (trun, trunEnd) in Children(file, traf, trafEnd, "trun"))
                TrackRun(file, trun, trunEnd, track, defaultDuration);
        }
    }

    /// <summary>One track run: its sample count, then per sample the fields its flags name (duration, size, flags, composition offset; 4 bytes each).</summary>
    private static void TrackRun(ContainerFile file, long body, long end, Track track, uint defaultDuration)
    {
        var flags = file.UInt32BE(body, "a track run") & 0xFFFFFF;
        var count = file.UInt32BE(body + 4, "a track run");
        var first = body + 8 + ((flags & 0x01) != 0 ? 4 : 0) + ((flags & 0x04) != 0 ? 4 : 0); // data offset, first sample's flags
        var fields = ((flags & 0x100) != 0 ? 1 : 0) + ((flags & 0x200) != 0 ? 1 : 0) + ((flags & 0x400) != 0 ? 1 : 0) + ((flags & 0x800) != 0 ? 1 : 0);
        if (first + count * (long)fields * 4 > end) throw new CutShortException("a track run's samples run past its box: damaged");
        ulong time = 0;
        if ((flags & 0x100) == 0) time = count * (ulong)defaultDuration;
        else
            for (long i = 0; i < count; i++)
                time += file.UInt32BE(first + i * fields * 4, "a track run");
        track.Samples += count;
        track.SampleTime += time;
        track.Fragmented = true;
    }

    /// <summary>A box's size (0: to the end), type and header length; a box running past its parent is damage.</summary>
    private static (long Size, string Type, int Header) Box(ContainerFile file, long offset, long end)
    {
        var header = file.At(offset, 16);
        if (header.Length < 8) throw new CutShortException($"a box header at byte {offset:N0} is cut short: truncated");
        long size = BinaryPrimitives.ReadUInt32BigEndian(header);
        var type = Encoding.Latin1.GetString(header.Slice(4, 4));
        var length = 8;
        if (size == 1)
        {
            if (header.Length < 16) throw new CutShortException($"a box header at byte {offset:N0} is cut short: truncated");
            size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
            length = 16;
        }
        else if (size == 0) return (end == file.Length ? 0 : end - offset, type, length);
        if (size < length) throw new CutShortException($"the '{type}' box at byte {offset:N0} has an impossible size ({size}): damaged");
        if (offset + size > end)
            throw new CutShortException(end == file.Length
                ? $"the '{type}' box at byte {offset:N0} needs {size:N0} bytes, the file ends {end - offset:N0} bytes after it starts: truncated"
                : $"the '{type}' box at byte {offset:N0} runs past the box that holds it: damaged");
        return (size, type, length);
    }

    private static void Walk(ContainerFile file, long offset, long end, Movie movie, Track? track, int depth)
    {
        if (depth > MaxDepth) throw new CutShortException($"boxes nested more than {MaxDepth} deep at byte {offset:N0}: damaged");
        while (offset + 8 <= end)
        {
            var (size, type, header) = Box(file, offset, end);
            if (size == 0) size = end - offset;
            var body = offset + header;
            var bodyLength = (int)Math.Min(size - header, 256);
            switch (type)
            {
                case "trak":
                    var added = new Track();
                    movie.Tracks.Add(added);
                    Walk(file, body, offset + size, movie, added, depth + 1);
                    break;
                case var container when Containers.Contains(container):
                    Walk(file, body, offset + size, movie, track, depth + 1);
                    break;
                case "mvhd":
                    var movieHeader = file.Exactly(body, Math.Min(bodyLength, 32), "the movie header");
                    movie.Timescale = BinaryPrimitives.ReadUInt32BigEndian(movieHeader[(movieHeader[0] == 1 ? 20 : 12)..]);
                    break;
                case "tkhd" when track is not null: // version and flags, creation and modification times (4 bytes each, 8 in version 1), the track id
                    var trackHeader = file.Exactly(body, Math.Min(bodyLength, 24), "the track header");
                    track.Id = BinaryPrimitives.ReadUInt32BigEndian(trackHeader[(trackHeader[0] == 1 ? 20 : 12)..]);
                    break;
                case "trex": // version and flags, track id, default sample description index, default sample duration
                    var extends = file.Exactly(body, 16, "the track extends");
                    movie.DefaultDurations[BinaryPrimitives.ReadUInt32BigEndian(extends[4..])] = BinaryPrimitives.ReadUInt32BigEndian(extends[12..]);
                    break;
                case "mdhd" when track is not null:
                    var media = file.Exactly(body, Math.Min(bodyLength, 32), "the media header");
                    if (media[0] == 1)
                        (track.Timescale, track.MediaDuration) = (BinaryPrimitives.ReadUInt32BigEndian(media[20..]), BinaryPrimitives.ReadUInt64BigEndian(media[24..]));
                    else
                        (track.Timescale, track.MediaDuration) = (BinaryPrimitives.ReadUInt32BigEndian(media[12..]), BinaryPrimitives.ReadUInt32BigEndian(media[16..]));
                    break;
                case "hdlr" when track is { Handler: null }: // the media's handler (QuickTime adds a data handler under minf)
                    track.Handler = Encoding.Latin1.GetString(file.Exactly(body + 8, 4, "the handler"));
                    break;
                case "elst" when track is not null:
                    track.EditSeconds = EditSeconds(file, body, offset + size, movie.Timescale);
                    break;
                case "stsd" when track is not null:
                    SampleDescription(file, body, track);
                    break;
                case "stts" when track is not null:
                    TimeToSample(file, body, offset + size, track);
                    break;
            }
            offset += size;
        }
    }

    /// <summary>The edit list's length in seconds: the segments that show media (an empty edit, media time −1, only delays).</summary>
    private static double? EditSeconds(ContainerFile file, long body, long end, uint movieTimescale)
    {
        if (movieTimescale == 0) return null;
        var head = file.Exactly(body, 8, "the edit list");
        var wide = head[0] == 1;
        var count = BinaryPrimitives.ReadUInt32BigEndian(head[4..]);
        var entry = wide ? 20 : 12;
        if (count == 0 || count > 1024 || body + 8 + count * entry > end) return null;
        ulong total = 0;
        for (var i = 0; i < count; i++)
        {
            var e = file.Exactly(body + 8 + i * entry, entry, "the edit list");
            var (duration, mediaTime) = wide
                ? (BinaryPrimitives.ReadUInt64BigEndian(e), BinaryPrimitives.ReadInt64BigEndian(e[8..]))
                : (BinaryPrimitives.ReadUInt32BigEndian(e), (long)BinaryPrimitives.ReadInt32BigEndian(e[4..]));
            if (mediaTime != -1) total += duration;
        }
        return total / (double)movieTimescale;
    }

    private static void SampleDescription(ContainerFile file, long body, Track track)
    {
        // version/flags, entry count, then the first entry: size, format, 6 reserved, data reference index (16 bytes)
        var entry = file.At(body + 8, 40);
        if (entry.Length < 36) return;
        if (track.Handler == "vide")
        {
            // 16 bytes of pre-defined and reserved, then width and height
            track.Width = BinaryPrimitives.ReadUInt16BigEndian(entry[32..]);
            track.Height = BinaryPrimitives.ReadUInt16BigEndian(entry[34..]);
        }
        else if (track.Handler == "soun")
        {
            // version, revision, vendor (8), channels, sample size, compression id, packet size (8), then the rate as 16.16
            var rate = BinaryPrimitives.ReadUInt16BigEndian(entry[32..]);
            track.SampleRate = rate >= 1000 ? rate : track.Timescale > 0 ? (int)track.Timescale : null;
        }
    }

    private static void TimeToSample(ContainerFile file, long body, long end, Track track)
    {
        var count = file.UInt32BE(body + 4, "the time-to-sample table");
        if (body + 8 + count * 8L > end) throw new CutShortException("the time-to-sample table runs past its box: damaged");
        for (long i = 0; i < count; i++)
        {
            var e = file.Exactly(body + 8 + i * 8, 8, "the time-to-sample table");
            var samples = BinaryPrimitives.ReadUInt32BigEndian(e);
            track.Samples += samples;
            track.SampleTime += samples * (ulong)BinaryPrimitives.ReadUInt32BigEndian(e[4..]);
        }
    }
}
