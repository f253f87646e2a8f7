using System.Buffers.Binary;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// The less common sound files a production folder still holds: Sun/NeXT audio (<c>.au</c>, sox's and Java's), Apple's Core
/// Audio Format (<c>.caf</c>) and Dolby Digital (<c>.ac3</c>, <c>.eac3</c>). Each is checked whole and read from its own
/// headers, as <see cref="Riff"/> reads a WAV.
/// </summary>
internal static class SoundFiles
{
    /// <summary>
    /// Sun/NeXT audio: ".snd", then big-endian the data's offset, its size (0xFFFFFFFF: unknown, the rest of the file), the
    /// encoding, the sample rate and the channels. The data must fit in the file, and a file of unknown size must hold
    /// whole sample frames. The length is the data over the bytes a frame takes (for the encodings of fixed size).
    /// </summary>
    public static ContainerReport ReadAu(ContainerFile file)
    {
        var h = file.Exactly(0, 24, "the .au header");
        var offset = BinaryPrimitives.ReadUInt32BigEndian(h[4..]);
        var size = BinaryPrimitives.ReadUInt32BigEndian(h[8..]);
        var encoding = BinaryPrimitives.ReadUInt32BigEndian(h[12..]);
        var rate = (int)BinaryPrimitives.ReadUInt32BigEndian(h[16..]);
        var channels = (int)BinaryPrimitives.ReadUInt32BigEndian(h[20..]);
        if (offset < 24 || offset > file.Length) return ContainerReport.Damaged($"the .au header puts its data at byte {offset:N0} of {file.Length:N0}: truncated or damaged");
        if (rate <= 0 || channels <= 0) return ContainerReport.Damaged("the .au header gives no sample rate or no channels: damaged");
        var bytes = size == uint.MaxValue ? file.Length - offset : size;
        if (offset + bytes > file.Length) return ContainerReport.Damaged($"the .au header declares {offset + (long)bytes:N0} bytes, the file has {file.Length:N0}: truncated");
        int? sample = encoding switch { 1 or 2 or 27 => 1, 3 => 2, 4 => 3, 5 or 6 => 4, 7 => 8, _ => null }; // µ-law, 8-bit, A-law; 16, 24, 32-bit; float, double
        if (sample is not { } width) return ContainerReport.Read(new MediaFacts(null, null, null, null, rate), complete: false); // ADPCM: its length needs its codec
        var frame = width * channels;
        if (size == uint.MaxValue && bytes % frame != 0) return ContainerReport.Damaged($"the .au data ends inside a sample frame ({bytes:N0} bytes, {frame} a frame): truncated");
        return ContainerReport.Read(new MediaFacts(null, null, Math.Round(bytes / (double)frame / rate, 3), null, rate));
    }

    /// <summary>
    /// Core Audio Format: "caff", version 1, then chunks, each a type and a 64-bit big-endian size (the audio data's may be
    /// -1: to the end of the file); every chunk must fit. The sample rate, bytes and frames per packet come from the
    /// description (<c>desc</c>); the length from the packet table (<c>pakt</c>: packets × frames per packet, as ffprobe
    /// counts them, whose sizes must fit in the data) or, for constant-size packets (PCM), from the data's size, which must
    /// hold whole packets.
    /// </summary>
    public static ContainerReport ReadCaf(ContainerFile file)
    {
        var h = file.Exactly(0, 8, "the CAF header");
        if (BinaryPrimitives.ReadUInt16BigEndian(h[4..]) != 1) return ContainerReport.Read(MediaFacts.None, complete: false);
        double rate = 0;
        uint bytesPerPacket = 0, framesPerPacket = 0;
        long? data = null, packets = null, validFrames = null, packetBytes = null;
        long offset = 8;
        while (offset < file.Length)
        {
            var chunk = file.Exactly(offset, 12, "a CAF chunk header");
            var type = System.Text.Encoding.Latin1.GetString(chunk[..4]);
            var size = BinaryPrimitives.ReadInt64BigEndian(chunk[4..]);
            var body = offset + 12;
            if (size == -1 && type == "data") size = file.Length - body;
            if (size < 0 || body + size > file.Length)
                return ContainerReport.Damaged($"the '{type}' chunk at byte {offset:N0} needs {size:N0} bytes, {file.Length - body:N0} are there: truncated");
            if (type == "desc" && size >= 32)
            {
                var d = file.Exactly(body, 32, "the audio description");
                rate = BinaryPrimitives.ReadDoubleBigEndian(d);
                bytesPerPacket = BinaryPrimitives.ReadUInt32BigEndian(d[16..]);
                framesPerPacket = BinaryPrimitives.ReadUInt32BigEndian(d[20..]);
            }
            else if (type == "data" && size >= 4) data = size - 4; // after a 4-byte edit count
            else if (type == "pakt" && size >= 24)
            {
                var p = file.Exactly(body, 24, "the packet table");
                packets = BinaryPrimitives.ReadInt64BigEndian(p);
                validFrames = BinaryPrimitives.ReadInt64BigEndian(p[8..]) + BinaryPrimitives.ReadInt32BigEndian(p[16..]) + BinaryPrimitives.ReadInt32BigEndian(p[20..]);
                if (bytesPerPacket == 0) packetBytes = PacketBytes(file, body + 24, body + size, packets.Value, framesPerPacket == 0);
            }
            offset = body + size;
        }
        if (rate is not (>= 1 and <= 10_000_000)) return ContainerReport.Damaged("no audio description ('desc') with a sample rate in the CAF file: damaged");
        if (data is not { } dataBytes) return ContainerReport.Damaged("no audio data chunk ('data') in the CAF file: truncated or damaged");
        if (packetBytes > dataBytes) return ContainerReport.Damaged($"the CAF packet table lists {packetBytes:N0} bytes of packets, its data holds {dataBytes:N0}: truncated");
        if (bytesPerPacket > 0 && dataBytes % bytesPerPacket != 0) return ContainerReport.Damaged($"the CAF data ends inside a packet ({dataBytes:N0} bytes, {bytesPerPacket} a packet): truncated");
        double? frames = packets is { } n && framesPerPacket > 0 ? n * (double)framesPerPacket
            : validFrames is { } v ? v
            : bytesPerPacket > 0 && framesPerPacket > 0 ? dataBytes / bytesPerPacket * (double)framesPerPacket : null;
        return ContainerReport.Read(new MediaFacts(null, null, frames is { } f ? Math.Round(f / rate, 3) : null, null, (int)Math.Round(rate)));
    }

    /// <summary>The bytes a CAF packet table's entries add up to: each a variable-length size (and a frame count when packets vary in frames).</summary>
    private static long PacketBytes(ContainerFile file, long offset, long end, long packets, bool framesToo)
    {
        long total = 0;
        for (long i = 0; i < packets; i++)
        {
            total += VarInt(file, ref offset, end);
            if (framesToo) VarInt(file, ref offset, end);
        }
        return total;
    }

    private static long VarInt(ContainerFile file, ref long offset, long end)
    {
        long value = 0;
        for (var i = 0; i < 9; i++)
        {
            if (offset >= end) throw new CutShortException($"the CAF packet table ends at byte {end:N0} before its last entry: truncated");
            var b = file.Exactly(offset++, 1, "a packet table entry")[0];
            value = (value << 7) | (long)(b & 0x7F);
            if ((b & 0x80) == 0) return value;
        }
        throw new CutShortException("a CAF packet table entry longer than 9 bytes: damaged");
    }

    private static readonly int[] Ac3Rates = [48_000, 44_100, 32_000];
    private static readonly int[] Ac3Bitrates = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640];

    /// <summary>
    /// One Dolby Digital sync frame at the start of <paramref name="h"/> (ATSC A/52): AC-3's (bsid up to 8; its size from
    /// the sample-rate and frame-size codes, 1,536 samples) or E-AC-3's (bsid 11–16; its size in 11 bits, 256 samples a
    /// block, 1 to 6 blocks). Samples are counted for the independent substream 0 only.
    /// </summary>
    internal static (int Length, int Rate, int Samples, bool Enhanced)? Ac3Frame(ReadOnlySpan<byte> h)
    {
        if (h.Length < 6 || h[0] != 0x0B || h[1] != 0x77) return null;
        var bsid = h[5] >> 3;
        if (bsid <= 8)
        {
            var (fscod, frmsizecod) = (h[4] >> 6, h[4] & 0x3F);
            if (fscod == 3 || frmsizecod >= 38) return null;
            var kbps = Ac3Bitrates[frmsizecod / 2];
            var words = fscod switch { 0 => kbps * 2, 2 => kbps * 3, _ => kbps * 96_000 / 44_100 + (frmsizecod & 1) };
            return (words * 2, Ac3Rates[fscod], 1536, false);
        }
        if (bsid is < 11 or > 16) return null;
        var length = (((h[2] & 7) << 8) | h[3]) * 2 + 2;
        var (code, code2) = (h[4] >> 6, (h[4] >> 4) & 3);
        var independent = (h[2] >> 6) != 1 && ((h[2] >> 3) & 7) == 0;
        if (code == 3 && code2 == 3) return null;
        var rate = code == 3 ? Ac3Rates[code2] / 2 : Ac3Rates[code];
        var blocks = code == 3 ? 6 : code2 switch { 0 => 1, 1 => 2, 2 => 3, _ => 6 };
        return (length, rate, independent ? blocks * 256 : 0, true);
    }

    /// <summary>Dolby Digital (AC-3, E-AC-3): frame follows frame to the end of the file, the last one whole; the length is the samples counted over the rate.</summary>
    public static ContainerReport ReadAc3(ContainerFile file)
    {
        long position = 0, samples = 0;
        var rate = 0;
        while (position < file.Length)
        {
            if (Ac3Frame(file.At(position, 6)) is not { } frame)
            {
                if (position > 0 && file.At(position, 3).StartsWith("TAG"u8)) break; // an ID3v1 tag at the end
                return ContainerReport.Damaged($"no Dolby Digital frame at byte {position:N0} where one should start: damaged");
            }
            if (position + frame.Length > file.Length)
                return ContainerReport.Damaged($"the frame at byte {position:N0} needs {frame.Length:N0} bytes, the file ends {file.Length - position:N0} bytes after it starts: truncated");
            if (rate == 0) rate = frame.Rate;
            samples += frame.Samples;
            position += frame.Length;
        }
        return ContainerReport.Read(new MediaFacts(null, null, Math.Round(samples / (double)rate, 3), null, rate));
    }
}
