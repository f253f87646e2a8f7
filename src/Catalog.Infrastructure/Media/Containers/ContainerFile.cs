using System.Buffers;
using System.Buffers.Binary;

namespace Catalog.Infrastructure.Media;

/// <summary>What a container reader found: the numbers, or why the file is not whole.</summary>
/// <param name="Facts">What the structure says; null when <paramref name="Damage"/> is set.</param>
/// <param name="Damage">Why the file is not whole (cut short, a structure that does not add up).</param>
/// <param name="Complete">Whether the reader understood every stream it needs (false: a codec it does not know; another probe may say more).</param>
public sealed record ContainerReport(MediaFacts? Facts, string? Damage, bool Complete = true)
{
    public static ContainerReport Damaged(string damage) => new(null, damage);

    public static ContainerReport Read(MediaFacts facts, bool complete = true) => new(facts, null, complete);
}

/// <summary>Thrown inside a reader when a structure runs past the end of the file.</summary>
internal sealed class CutShortException(string message) : Exception(message);

/// <summary>
/// Random access to a media file's structure with one small buffer: the readers read headers and skip over the
/// payloads, so memory stays flat however long the file. The buffer is borrowed from the shared pool for the one file
/// (<see cref="Run"/>): an import reading hundreds of files neither allocates nor zeroes 64 KiB for each.
/// </summary>
internal sealed class ContainerFile(FileStream file, byte[] buffer)
{
    /// <summary>How much is read at a time (the borrowed buffer may be longer).</summary>
    private const int WindowSize = 64 * 1024;

    private readonly byte[] _buffer = buffer;
    private long _bufferStart = -1;
    private int _bufferLength;

    public long Length { get; } = file.Length;

    /// <summary>The bytes at <paramref name="offset"/>; fewer when the file ends first.</summary>
    public ReadOnlySpan<byte> At(long offset, int count)
    {
        if (offset < 0 || offset >= Length || count <= 0) return [];
        count = (int)Math.Min(count, Length - offset);
        if (count > WindowSize) throw new ArgumentOutOfRangeException(nameof(count));
        if (_bufferStart < 0 || offset < _bufferStart || offset + count > _bufferStart + _bufferLength)
        {
            file.Position = offset;
            _bufferLength = file.ReadAtLeast(_buffer, (int)Math.Min(WindowSize, Length - offset), throwOnEndOfStream: false);
            _bufferStart = offset;
        }
        return _buffer.AsSpan((int)(offset - _bufferStart), count);
    }

    /// <summary>Exactly <paramref name="count"/> bytes at <paramref name="offset"/>, else <see cref="CutShortException"/> naming <paramref name="what"/>.</summary>
    public ReadOnlySpan<byte> Exactly(long offset, int count, string what)
    {
        var bytes = At(offset, count);
        return bytes.Length == count ? bytes : throw new CutShortException($"{what} at byte {offset:N0} is cut short: truncated");
    }

    public uint UInt32BE(long offset, string what) => BinaryPrimitives.ReadUInt32BigEndian(Exactly(offset, 4, what));

    public uint UInt32LE(long offset, string what) => BinaryPrimitives.ReadUInt32LittleEndian(Exactly(offset, 4, what));

    /// <summary>Runs a reader; a structure cut short becomes the report's damage.</summary>
    public static ContainerReport Run(string path, Func<ContainerFile, ContainerReport> read)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        var buffer = ArrayPool<byte>.Shared.Rent(WindowSize);
        try
        {
            return read(new ContainerFile(stream, buffer));
        }
        catch (CutShortException e)
        {
            return ContainerReport.Damaged(e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer); // the report holds numbers, never the bytes
        }
    }
}
