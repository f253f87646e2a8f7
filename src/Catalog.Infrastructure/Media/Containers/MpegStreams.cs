using System.Buffers.Binary;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// MPEG-2 systems (ISO/IEC 13818-1): the transport stream (<c>.ts</c>, <c>.m2ts</c>/<c>.mts</c> with a 4-byte prefix per
/// packet — broadcast, HLS segments, camcorders) and the program stream (<c>.mpg</c>, <c>.vob</c>; MPEG-1's system stream
/// too). A transport stream is whole when it is whole packets, each starting with the sync byte; a program stream when
/// pack follows pack, each header giving its own length, to exactly the end of the file. The streams come from the
/// program map (transport) or the stream ids (program), the times from the packets' presentation time stamps (PTS, 90 kHz):
/// the video's length is its first to its last frame's stamp plus one frame (ffprobe's stream duration), its frame rate
/// the frames over that span; the picture size from the MPEG-1/2 sequence header or the H.264 sequence parameter set; the
/// sample rate from the first audio frame (MPEG audio, AAC in ADTS, AC-3). Other codecs (HEVC, …) are left to ffprobe.
/// </summary>
internal static class MpegStreams
{
    /// <summary>Whether these bytes start a transport stream: the sync byte 0x47 every 188 bytes (or at 4 of every 192: M2TS).</summary>
    public static bool IsTransportStream(ReadOnlySpan<byte> head) => PacketSize(head) is not null;

    private static (int Size, int Sync)? PacketSize(ReadOnlySpan<byte> head)
    {
        foreach (var (size, sync) in new[] { (188, 0), (192, 4) })
            if (head.Length > sync + size * 2 && head[sync] == 0x47 && head[sync + size] == 0x47 && head[sync + size * 2] == 0x47) return (size, sync);
        return null;
    }

    /// <summary>How much of a stream's first bytes is kept to find its sequence header or parameter set, or its first sound frame.</summary>
    private const int HeadBytes = 8192;

    /// <summary>What one elementary stream's packets said: their first and last stamps, how many, and the first bytes of the first.</summary>
    private sealed class Stream(bool video, int type)
    {
        public bool Video { get; } = video;
        public int Type { get; } = type; // the transport stream's stream type, or the program stream's id
        public long First = long.MaxValue, Last = long.MinValue;
        public int Stamps;
        public readonly List<byte> Head = [];
        public bool HeadDone;
        public long Expected, Received; // the PES packet in progress: its declared length (0: unbounded), the bytes seen

        public void Stamp(long pts)
        {
            First = Math.Min(First, pts);
            Last = Math.Max(Last, pts);
            Stamps++;
        }

        public void Take(ReadOnlySpan<byte> payload)
        {
            if (HeadDone) return;
            foreach (var b in payload[..Math.Min(payload.Length, HeadBytes - Head.Count)]) Head.Add(b);
            HeadDone = Head.Count >= HeadBytes;
        }
    }

    public static ContainerReport ReadTransport(ContainerFile file)
    {
        if (PacketSize(file.At(0, 600)) is not var (size, sync)) return ContainerReport.Damaged("no transport stream packets at the start: damaged");
        if (file.Length % size != 0) return ContainerReport.Damaged($"the file ends {file.Length % size} bytes into a {size}-byte packet: truncated");
        int? pmt = null;
        Dictionary<int, Stream>? streams = null;
        for (long offset = 0; offset < file.Length; offset += size)
        {
            var p = file.Exactly(offset + sync, 188, "a packet");
            if (p[0] != 0x47) return ContainerReport.Damaged($"the packet at byte {offset:N0} does not start with the sync byte: damaged");
            var pid = ((p[1] & 0x1F) << 8) | p[2];
            var start = (p[1] & 0x40) != 0;
            var control = (p[3] >> 4) & 3;
            var at = 4 + ((control & 2) != 0 ? 1 + p[4] : 0);
            if ((control & 1) == 0 || at >= 188) continue;
            var payload = p[at..];
            if (pid == 0 && start && pmt is null) pmt = ProgramMapPid(payload);
            else if (pid == pmt && start && streams is null) streams = ProgramStreams(payload);
            else if (streams is not null && streams.TryGetValue(pid, out var stream))
            {
                if (start) (stream.Expected, stream.Received) = (payload.Length >= 6 ? 6 + BinaryPrimitives.ReadUInt16BigEndian(payload[4..]) : 0, 0);
                stream.Received += payload.Length;
                if (start && Pes(payload) is var (pts, body))
                {
                    if (pts is { } stamp) stream.Stamp(stamp);
                    if (stream.Head.Count > 0) stream.HeadDone = true;
                    if (body < payload.Length) stream.Take(payload[body..]);
                }
                else if (!start) stream.Take(payload);
            }
        }
        if (streams?.Values.FirstOrDefault(s => s.Expected > 6 && s.Received < s.Expected) is { } cut)
            return ContainerReport.Damaged($"the last packet of a stream (PES) holds {cut.Received:N0} of its {cut.Expected:N0} bytes: truncated");
        return Facts(streams is null ? [] : streams.Values);
    }

    public static ContainerReport ReadProgram(ContainerFile file)
    {
        var streams = new Dictionary<int, Stream>();
        long offset = 0;
        while (offset < file.Length)
        {
            var h = file.Exactly(offset, 4, "a pack or packet start code");
            if (h[0] != 0 || h[1] != 0 || h[2] != 1) return ContainerReport.Damaged($"no start code at byte {offset:N0} where a pack or packet should start: damaged");
            long length;
            if (h[3] == 0xBA)
            {
                var b = file.Exactly(offset + 4, 1, "a pack header")[0];
                if ((b & 0xC0) == 0x40) length = 14 + (file.Exactly(offset + 13, 1, "a pack header")[0] & 7); // MPEG-2, and its stuffing
                else if ((b & 0xF0) == 0x20) length = 12; // MPEG-1
                else return ContainerReport.Damaged($"the pack header at byte {offset:N0} is neither MPEG-1's nor MPEG-2's: damaged");
            }
            else if (h[3] == 0xB9) length = 4; // the program end code
            else if (h[3] >= 0xBB) length = 6 + BinaryPrimitives.ReadUInt16BigEndian(file.Exactly(offset + 4, 2, "a packet's length"));
            else return ContainerReport.Damaged($"a start code (0x{h[3]:X2}) at byte {offset:N0} that is no pack or packet: damaged");
            if (offset + length > file.Length)
                return ContainerReport.Damaged($"the packet at byte {offset:N0} needs {length:N0} bytes, the file ends {file.Length - offset:N0} bytes after it starts: truncated");
            var id = h[3];
            if (id is >= 0xC0 and <= 0xEF || id == 0xBD)
            {
                var packet = file.At(offset, (int)Math.Min(length, HeadBytes + 64)); // its header and the first bytes a stream's head takes
                if (!streams.TryGetValue(id, out var stream))
                    streams[id] = stream = new Stream(id >= 0xE0, id);
                if (Pes(packet) is var (pts, body))
                {
                    if (pts is { } stamp) stream.Stamp(stamp);
                    if (id == 0xBD) body += 4; // private stream 1 (DVD's AC-3): a sub-stream id and 3 bytes before the frames
                    if (body < packet.Length) stream.Take(packet[body..]);
                }
            }
            offset += length;
        }
        return Facts(streams.Values);
    }

    /// <summary>A PES packet's presentation time stamp and where its data starts (the MPEG-2 header, or MPEG-1's stuffing, buffer size and stamps).</summary>
    private static (long? Pts, int Body)? Pes(ReadOnlySpan<byte> p)
    {
        if (p.Length < 9 || p[0] != 0 || p[1] != 0 || p[2] != 1) return null;
        if ((p[6] & 0xC0) == 0x80) // MPEG-2
        {
            var body = 9 + p[8];
            return ((p[7] & 0x80) != 0 && p.Length >= 14 ? Stamp(p[9..]) : null, body);
        }
        var at = 6;
        while (at < p.Length && p[at] == 0xFF && at < 6 + 16) at++;
        if (at < p.Length && (p[at] & 0xC0) == 0x40) at += 2;
        if (at >= p.Length) return null;
        return (p[at] & 0xE0) switch
        {
            0x20 when at + 5 <= p.Length => (Stamp(p[at..]), at + 5),
            0x20 => null,
            _ when (p[at] & 0xF0) == 0x30 && at + 10 <= p.Length => (Stamp(p[at..]), at + 10),
            _ => (null, at + 1), // 0x0F: no stamps
        };
    }

    private static long Stamp(ReadOnlySpan<byte> b) =>
        ((long)(b[0] & 0x0E) << 29) | ((long)b[1] << 22) | ((long)(b[2] & 0xFE) << 14) | ((long)b[3] << 7) | ((long)b[4] >> 1);

    /// <summary>The first program's map PID in a program association section.</summary>
    private static int? ProgramMapPid(ReadOnlySpan<byte> payload)
    {
        var s = Section(payload, 0);
        for (var i = 8; i + 4 <= s.Length - 4; i += 4)
            if (BinaryPrimitives.ReadUInt16BigEndian(s[i..]) != 0) return ((s[i + 2] & 0x1F) << 8) | s[i + 3];
        return null;
    }

    private static readonly HashSet<int> VideoTypes = [0x01, 0x02, 0x10, 0x1B, 0x24, 0x42, 0xD1, 0xEA];
    private static readonly HashSet<int> AudioTypes = [0x03, 0x04, 0x0F, 0x11, 0x81, 0x87];

    /// <summary>The video and audio streams a program map section lists, by PID (AC-3 and E-AC-3 in a private stream known by their descriptors).</summary>
    private static Dictionary<int, Stream> ProgramStreams(ReadOnlySpan<byte> payload)
    {
        var streams = new Dictionary<int, Stream>();
        var s = Section(payload, 2);
        if (s.Length < 16) return streams;
        var i = 12 + (((s[10] & 0x0F) << 8) | s[11]);
        while (i + 5 <= s.Length - 4)
        {
            var (type, pid, info) = (s[i], ((s[i + 1] & 0x1F) << 8) | s[i + 2], ((s[i + 3] & 0x0F) << 8) | s[i + 4]);
            var descriptors = s.Slice(i + 5, Math.Max(0, Math.Min(info, s.Length - i - 5)));
            if (type == 0x06 && (HasDescriptor(descriptors, 0x6A) || HasDescriptor(descriptors, 0x7A))) type = 0x81;
            if (VideoTypes.Contains(type) || AudioTypes.Contains(type)) streams.TryAdd(pid, new Stream(VideoTypes.Contains(type), type));
            i += 5 + info;
        }
        return streams;
    }

    private static bool HasDescriptor(ReadOnlySpan<byte> d, int tag)
    {
        for (var i = 0; i + 2 <= d.Length; i += 2 + d[i + 1])
            if (d[i] == tag) return true;
        return false;
    }

    /// <summary>A PSI section of the given table id, after the payload's pointer field; empty when it is not one.</summary>
    private static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> payload, int table)
    {
        if (payload.Length < 1 || 1 + payload[0] + 3 > payload.Length) return [];
        var s = payload[(1 + payload[0])..];
        if (s[0] != table) return [];
        var length = 3 + (((s[1] & 0x0F) << 8) | s[2]);
        return s[..Math.Min(length, s.Length)];
    }

    private static ContainerReport Facts(IEnumerable<Stream> all)
    {
        var streams = all.ToList();
        var video = streams.FirstOrDefault(s => s.Video);
        var audio = streams.FirstOrDefault(s => !s.Video && s.Stamps > 0);
        if (video is not null)
        {
            var picture = Picture(video);
            double? seconds = null;
            int? fps = null;
            // One frame's ticks: the sequence header's frame rate (MPEG-1/2), else the stamps' spacing (one frame a packet, as
            // transport streams carry video); the length runs from the first frame's stamp to the end of the last frame.
            var frame = picture?.Rate is { } perSecond ? 90_000 / perSecond
                : video.Stamps > 1 && video.Last > video.First && video.Type < 0xE0 ? (video.Last - video.First) / (double)(video.Stamps - 1) : (double?)null;
            if (frame is { } ticks && video.Stamps > 0)
            {
                seconds = Math.Round((video.Last - video.First + ticks) / 90_000.0, 3);
                fps = (int)Math.Round(90_000 / ticks);
            }
            var facts = new MediaFacts(picture?.Width, picture?.Height, seconds, fps, null);
            return ContainerReport.Read(facts, complete: picture is not null && seconds is not null);
        }
        if (audio is not null && Sound(audio) is var (rate, samples))
        {
            double? seconds = audio.Last >= audio.First ? Math.Round((audio.Last - audio.First) / 90_000.0 + samples / (double)rate, 3) : null;
            return ContainerReport.Read(new MediaFacts(null, null, seconds, null, rate));
        }
        return ContainerReport.Read(MediaFacts.None, complete: false);
    }

    /// <summary>The sample rate and samples a frame holds, from the first audio frame: MPEG audio, AAC in ADTS, or AC-3/E-AC-3.</summary>
    private static (int Rate, int Samples)? Sound(Stream audio)
    {
        var h = audio.Head.ToArray().AsSpan();
        if (SoundFiles.Ac3Frame(h) is { } ac3) return (ac3.Rate, ac3.Samples);
        return MpegAudio.FrameAt(h) is { } frame ? (frame.SampleRate, frame.Samples) : null;
    }

    private static readonly double[] FrameRates = [0, 24_000 / 1001.0, 24, 25, 30_000 / 1001.0, 30, 50, 60_000 / 1001.0, 60];

    /// <summary>
    /// The picture size from the first video bytes — an MPEG-1/2 sequence header (0x000001B3, with its frame rate code) or an
    /// H.264 sequence parameter set.
    /// </summary>
    private static (int Width, int Height, double? Rate)? Picture(Stream video)
    {
        var h = video.Head.ToArray().AsSpan();
        for (var i = 0; i + 8 <= h.Length; i++)
        {
            if (h[i] != 0 || h[i + 1] != 0 || h[i + 2] != 1) continue;
            if (h[i + 3] == 0xB3 && video.Type is 0x01 or 0x02 or >= 0xE0)
            {
                var code = h[i + 7] & 0x0F;
                return ((h[i + 4] << 4) | (h[i + 5] >> 4), ((h[i + 5] & 0x0F) << 8) | h[i + 6], code is > 0 and < 9 ? FrameRates[code] : null);
            }
            if ((h[i + 3] & 0x1F) == 7 && (h[i + 3] & 0x80) == 0 && video.Type == 0x1B)
                return H264.PictureSize(h[(i + 4)..]) is var (width, height) ? (width, height, null) : null;
        }
        return null;
    }
}

/// <summary>The picture size an H.264 sequence parameter set gives (ITU-T H.264 7.3.2.1.1): macroblocks less the cropping.</summary>
internal static class H264
{
    private ref struct Bits(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _bit;

        public bool Ended => _bit >= _data.Length * 8;

        public int Bit()
        {
            if (Ended) throw new FormatException("the parameter set ends early");
            var b = (_data[_bit >> 3] >> (7 - (_bit & 7))) & 1;
            _bit++;
            return b;
        }

        public int Read(int n)
        {
            var v = 0;
            for (var i = 0; i < n; i++) v = (v << 1) | Bit();
            return v;
        }

        public int Ue()
        {
            var zeros = 0;
            while (Bit() == 0) if (++zeros > 31) throw new FormatException("an Exp-Golomb code longer than 32 bits");
            return (int)((1L << zeros) - 1 + Read(zeros));
        }

        public int Se()
        {
            var k = Ue();
            return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
        }
    }

    /// <summary>The size from the bytes after the NAL header (emulation prevention bytes are taken out first); null when they do not parse.</summary>
    public static (int Width, int Height)? PictureSize(ReadOnlySpan<byte> nal)
    {
        var raw = new List<byte>(Math.Min(nal.Length, 256));
        for (var i = 0; i < nal.Length && raw.Count < 256; i++)
        {
            if (i >= 2 && nal[i] == 3 && nal[i - 1] == 0 && nal[i - 2] == 0) continue;
            raw.Add(nal[i]);
        }
        try
        {
            var b = new Bits(raw.ToArray());
            var profile = b.Read(8);
            b.Read(16); // constraint flags, level
            b.Ue(); // sps id
            var chroma = 1;
            if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
            {
                chroma = b.Ue();
                var separate = chroma == 3 && b.Bit() == 1;
                if (separate) chroma = 0;
                b.Ue(); b.Ue(); b.Bit(); // bit depths, lossless bypass
                if (b.Bit() == 1)
                    for (var i = 0; i < (chroma == 3 ? 12 : 8); i++)
                        if (b.Bit() == 1)
                        {
                            int last = 8, next = 8;
                            for (var j = 0; j < (i < 6 ? 16 : 64) && next != 0; j++)
                            {
                                next = (last + b.Se() + 256) % 256;
                                if (next != 0) last = next;
                            }
                        }
            }
            b.Ue(); // log2 max frame num
            var pocType = b.Ue();
            if (pocType == 0) b.Ue();
            else if (pocType == 1)
            {
                b.Bit(); b.Se(); b.Se();
                for (var n = b.Ue(); n > 0; n--) b.Se();
            }
            b.Ue(); b.Bit(); // reference frames, gaps allowed
            var widthMbs = b.Ue() + 1;
            var heightUnits = b.Ue() + 1;
            var frameMbsOnly = b.Bit();
            if (frameMbsOnly == 0) b.Bit();
            b.Bit(); // direct 8x8 inference
            int left = 0, right = 0, top = 0, bottom = 0;
            if (b.Bit() == 1) (left, right, top, bottom) = (b.Ue(), b.Ue(), b.Ue(), b.Ue());
            var (cropX, cropY) = chroma switch { 0 => (1, 2 - frameMbsOnly), 1 => (2, 2 * (2 - frameMbsOnly)), 2 => (2, 2 - frameMbsOnly), _ => (1, 2 - frameMbsOnly) };
            var width = widthMbs * 16 - cropX * (left + right);
            var height = (2 - frameMbsOnly) * heightUnits * 16 - cropY * (top + bottom);
            return width > 0 && height > 0 ? (width, height) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
