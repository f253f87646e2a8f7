using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Catalog.Testing;

/// <summary>
/// Real media bytes for tests: PNG and WAV encoded here (valid files any decoder opens), the MP4 from
/// the committed fixture that <c>tests/media/make-media.sh</c> makes with ffmpeg.
/// </summary>
public static class TestMedia
{
    /// <summary>A valid RGB PNG; <paramref name="seed"/> varies the pixels, so different seeds give different bytes.</summary>
    public static byte[] Png(int width = 64, int height = 36, int seed = 0)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)width);
        WriteBigEndian(header, 4, (uint)height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        WriteChunk(output, "IHDR", header);

        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];
            for (var y = 0; y < height; y++)
            {
                row[0] = 0; // filter: none
                for (var x = 0; x < width; x++)
                {
                    row[1 + x * 3] = (byte)(x * 255 / Math.Max(1, width - 1));
                    row[2 + x * 3] = (byte)(y * 255 / Math.Max(1, height - 1));
                    row[3 + x * 3] = (byte)(seed * 37 + x ^ y);
                }
                zlib.Write(row);
            }
        }
        WriteChunk(output, "IDAT", pixels.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>
    /// A valid RGB PNG of noise, stored without compression (deflate's stored blocks): its size is about width × height × 3
    /// whatever the picture, so a test can ask for a file of a given size that takes time to upload.
    /// </summary>
    public static byte[] NoisyPng(int width, int height, int seed)
    {
        var random = new Random(seed);
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)width);
        WriteBigEndian(header, 4, (uint)height);
        header[8] = 8;
        header[9] = 2;
        WriteChunk(output, "IHDR", header);
        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.NoCompression, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];
            for (var y = 0; y < height; y++)
            {
                random.NextBytes(row);
                row[0] = 0;
                zlib.Write(row);
            }
        }
        WriteChunk(output, "IDAT", pixels.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A valid 16-bit PCM WAV of a sine tone.</summary>
    public static byte[] Wav(double seconds = 0.5, int sampleRate = 48_000, int channels = 2, double frequency = 440)
    {
        var frames = (int)(seconds * sampleRate);
        var dataBytes = frames * channels * 2;
        using var output = new MemoryStream(44 + dataBytes);
        using var writer = new BinaryWriter(output, Encoding.ASCII, leaveOpen: true);
        writer.Write("RIFF"u8);
        writer.Write(36 + dataBytes);
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(16);
        writer.Write((short)1); // PCM
        writer.Write((short)channels);
        writer.Write(sampleRate);
        writer.Write(sampleRate * channels * 2);
        writer.Write((short)(channels * 2));
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(dataBytes);
        for (var i = 0; i < frames; i++)
        {
            var sample = (short)(Math.Sin(2 * Math.PI * frequency * i / sampleRate) * short.MaxValue * 0.5);
            for (var c = 0; c < channels; c++) writer.Write(sample);
        }
        writer.Flush();
        return output.ToArray();
    }

    /// <summary>A real H.264 MP4: 3 s, 24 fps, 1280x720 (tests/media/clip-720p-24fps-3s.mp4).</summary>
    /// <summary>
    /// A photo-like picture of <paramref name="width"/>×<paramref name="height"/> in <paramref name="format"/> (png, jpeg, webp, avif),
    /// encoded by libvips: noise enlarged smoothly; a PNG is palette-coded, so a 1080p one stays under 2 MiB.
    /// </summary>
    public static byte[] Photo(string format, int width, int height)
    {
        using var noise = NetVips.Image.NewFromBuffer(NoisyPng(width / 16, height / 16, seed: width + height));
        using var image = noise.ThumbnailImage(width, height: height, size: NetVips.Enums.Size.Force);
        return format switch
        {
            "png" => image.PngsaveBuffer(palette: true),
            "jpeg" => image.JpegsaveBuffer(q: 90),
            "webp" => image.WebpsaveBuffer(q: 90),
            "avif" => image.HeifsaveBuffer(q: 50, compression: NetVips.Enums.ForeignHeifCompression.Av1, effort: 0),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "png, jpeg, webp or avif"),
        };
    }

    public static byte[] Mp4() => File.ReadAllBytes(Fixture("clip-720p-24fps-3s.mp4"));

    /// <summary>A committed media file of tests/media (made by make-media.sh; its name says what it is).</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "media", name);

    /// <summary>One committed fixture per format: JPEG, GIF, WebP, AVIF, HEIC, MP4, MOV, WebM, FLAC, Ogg, MP3, M4A, AIFF, AAC.</summary>
    public static IReadOnlyList<string> Fixtures { get; } =
    [
        "still-320x240.jpg", "still-200x100.gif", "still-300x150.webp", "clip-720p-24fps-3s.mp4", "clip-360p-30fps-2s.mov",
        "clip-480p-25fps-2s.webm", "tone-44100-2s.flac", "tone-22050-2s.ogg", "tone-32000-2s.mp3", "tone-44100-2s.m4a",
        "still-320x240.avif", "still-200x150.heic", "tone-22050-1s.aiff", "tone-44100-1s.aac",
    ];

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        WriteBigEndian(length, 0, (uint)data.Length);
        output.Write(length);
        var typeAndData = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        output.Write(typeAndData);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, Crc32(typeAndData));
        output.Write(crc);
    }

    private static void WriteBigEndian(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309 polynomial).</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
