namespace Catalog.Infrastructure.Media;

/// <summary>
/// FLAC, after RFC 9639: the metadata blocks must fit in the file, and its last frame must be whole — a frame header
/// (its CRC-8 right) near the end whose CRC-16 over the frame, to the file's last byte, is right. The sample rate and the
/// length (total samples over the rate) come from STREAMINFO.
/// </summary>
internal static class Flac
{
    private static readonly byte[] Crc8Table = Table8();
    private static readonly ushort[] Crc16Table = Table16();

    public static ContainerReport Read(ContainerFile file)
    {
        long offset = 4; // "fLaC"
        int rate = 0;
        ulong samples = 0;
        var maxFrame = 0;
        while (true)
        {
            var block = file.Exactly(offset, 4, "a metadata block header");
            var (last, type, length) = ((block[0] & 0x80) != 0, block[0] & 0x7F, block[1] << 16 | block[2] << 8 | block[3]);
            if (offset + 4 + length > file.Length)
                return ContainerReport.Damaged($"a metadata block at byte {offset:N0} needs {length + 4:N0} bytes, the file ends {file.Length - offset:N0} bytes after it starts: truncated");
            if (type == 0 && length >= 34)
            {
                var info = file.Exactly(offset + 4, 18, "STREAMINFO");
                maxFrame = info[7] << 16 | info[8] << 8 | info[9];
                rate = info[10] << 12 | info[11] << 4 | info[12] >> 4;
                samples = (ulong)(info[13] & 0x0F) << 32 | (ulong)info[14] << 24 | (ulong)info[15] << 16 | (ulong)info[16] << 8 | info[17];
            }
            offset += 4 + length;
            if (last) break;
        }
        if (offset >= file.Length) return ContainerReport.Damaged("no audio frames after the metadata: truncated");
        if (!LastFrameWhole(file, offset, maxFrame))
            return ContainerReport.Damaged("the last frame does not end where the file ends (its CRC-16 fails): truncated");
        double? seconds = rate > 0 && samples > 0 ? Math.Round(samples / (double)rate, 3) : null;
        return ContainerReport.Read(new MediaFacts(null, null, seconds, null, rate > 0 ? rate : null));
    }

    /// <summary>Whether a frame header in the file's tail starts a frame whose CRC-16 runs exactly to the end.</summary>
    private static bool LastFrameWhole(ContainerFile file, long framesStart, int maxFrame)
    {
        var window = (int)Math.Min(file.Length - framesStart, Math.Min(60 * 1024, maxFrame > 0 ? maxFrame + 64 : 60 * 1024));
        var tailStart = file.Length - window;
        var tail = file.At(tailStart, window).ToArray();
        // From the end backwards, the nearest frame headers first (the real last frame is the nearest); a few dozen at most,
        // so a tail made of fake headers costs no more than that.
        var candidates = 0;
        for (var i = tail.Length - 4; i >= 0 && candidates < 64; i--)
        {
            if (tail[i] != 0xFF || (tail[i + 1] & 0xFE) != 0xF8 || HeaderLength(tail, i) is not { } header) continue;
            if (Crc8(tail.AsSpan(i, header - 1)) != tail[i + header - 1]) continue;
            candidates++;
            if (Crc16(tail.AsSpan(i, tail.Length - i - 2)) == (tail[^2] << 8 | tail[^1])) return true;
        }
        return false;
    }

    /// <summary>A frame header's length with its CRC-8, or null when the bytes cannot be one.</summary>
    private static int? HeaderLength(byte[] b, int i)
    {
        if (i + 5 > b.Length) return null;
        var blockSize = b[i + 2] >> 4;
        var rate = b[i + 2] & 0x0F;
        if (blockSize == 0 || rate == 15 || (b[i + 3] >> 4) > 10 || (b[i + 3] & 1) != 0) return null;
        // The frame or sample number, UTF-8 coded: 1 to 7 bytes.
        var first = b[i + 4];
        var extra = first < 0x80 ? 0 : first >= 0xFE ? 6 : first >= 0xFC ? 5 : first >= 0xF8 ? 4 : first >= 0xF0 ? 3 : first >= 0xE0 ? 2 : first >= 0xC0 ? 1 : -1;
        if (extra < 0) return null;
        var length = 5 + extra + (blockSize == 6 ? 1 : blockSize == 7 ? 2 : 0) + (rate == 12 ? 1 : rate is 13 or 14 ? 2 : 0) + 1;
        return i + length <= b.Length ? length : null;
    }

    private static byte Crc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0;
        foreach (var b in data) crc = Crc8Table[crc ^ b];
        return crc;
    }

    private static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data) crc = (ushort)(crc << 8 ^ Crc16Table[(crc >> 8) ^ b]);
        return crc;
    }

    private static byte[] Table8()
    {
        var table = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            var c = i;
            for (var bit = 0; bit < 8; bit++) c = (c & 0x80) != 0 ? (c << 1) ^ 0x07 : c << 1;
            table[i] = (byte)c;
        }
        return table;
    }

    private static ushort[] Table16()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var c = i << 8;
            for (var bit = 0; bit < 8; bit++) c = (c & 0x8000) != 0 ? (c << 1) ^ 0x8005 : c << 1;
            table[i] = (ushort)c;
        }
        return table;
    }
}
