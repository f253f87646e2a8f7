using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Catalog.Infrastructure.Blobs;

/// <summary>
/// A stored file read in place: each read goes straight from the file into the caller's buffer at the stream's position,
/// with no buffer of its own and, for asynchronous reads, no hop to another thread. A <see cref="FileStream"/> on Linux
/// hands every asynchronous read to the thread pool and copies through its own buffer; for the media endpoint's small
/// files, mostly in the page cache, that hop cost more than the read. Seekable (byte ranges), read-only. Either the
/// stream owns its file handle, or it leases one that <see cref="SharedBlobHandles"/> keeps open for many readers.
/// </summary>
public sealed class BlobReadStream : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly long _length;
    private readonly bool _leased;
    private long _position;
    private bool _disposed;

    private BlobReadStream(SafeFileHandle handle, string path, long length, bool leased)
    {
        _handle = handle;
        Path = path;
        _length = length;
        _leased = leased;
    }

    /// <summary>A stream over a handle another holds open, leased (<see cref="SafeHandle.DangerousAddRef"/>) by the caller: disposing it ends the lease.</summary>
    internal static BlobReadStream Leased(SafeFileHandle handle, string path, long length) => new(handle, path, length, leased: true);

    /// <summary>A stream that owns <paramref name="handle"/> and closes it when disposed.</summary>
    internal static BlobReadStream Owning(SafeFileHandle handle, string path, long length) => new(handle, path, length, leased: false);

    /// <summary>The file at <paramref name="path"/>, or null when there is none.</summary>
    public static BlobReadStream? Open(string path) =>
        TryOpenHandle(path) is { } handle ? Owning(handle, path, RandomAccess.GetLength(handle)) : null;

    /// <summary>A read handle on the file at <paramref name="path"/>, or null when there is none.</summary>
    internal static SafeFileHandle? TryOpenHandle(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The file's path (for tools that read a file by name, as ffmpeg and libvips do).</summary>
    public string Path { get; }

    public override bool CanRead => !_disposed;
    public override bool CanSeek => !_disposed;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var read = RandomAccess.Read(_handle, buffer, _position);
        _position += read;
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
        ct.IsCancellationRequested ? ValueTask.FromCanceled<int>(ct) : ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => _length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (_leased) _handle.DangerousRelease();
            else _handle.Dispose();
        }
        base.Dispose(disposing);
    }
}
