using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace Catalog.Infrastructure.Blobs;

/// <summary>
/// The files of the blobs being served, kept open and shared by every request that reads them, so a small image served
/// again costs one <c>pread</c> rather than an open, a lock, two <c>fstat</c>s, an advice and a close. Safe because a
/// blob's name is its content's SHA-256: whatever file is at that path holds those bytes, so a handle opened earlier
/// reads what a new one would. Each reader leases the handle (<see cref="System.Runtime.InteropServices.SafeHandle.DangerousAddRef"/>);
/// a handle dropped from here closes when its last reader is done. At most <see cref="Capacity"/> are kept; one that no
/// request used during a whole <see cref="IdleTime"/> (10 s) is closed, and <see cref="Forget"/> closes a deleted blob's at once
/// (its disk space is freed when the file's last handle closes).
/// </summary>
public sealed class SharedBlobHandles : IDisposable
{
    public const int Capacity = 256;
    public static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Entry> _open = new(StringComparer.Ordinal);
    private readonly Timer _idle;
    private volatile bool _disposed;

    /// <param name="idleTime">How long a handle nobody reads stays open: <see cref="IdleTime"/> unless a test says otherwise.</param>
    public SharedBlobHandles(TimeSpan? idleTime = null)
    {
        var idle = idleTime ?? IdleTime;
        _idle = new Timer(_ => CloseIdle(), null, idle, idle);
    }

    /// <summary>How many handles are open here now.</summary>
    public int Count => _open.Count;

    /// <summary>A stream over the file at <paramref name="path"/>, on its shared handle; null when there is no such file.</summary>
    public BlobReadStream? Open(string path)
    {
        if (_open.TryGetValue(path, out var known) && known.TryLease() is { } leased) return leased;
        if (BlobReadStream.TryOpenHandle(path) is not { } handle) return null;
        var entry = new Entry(handle, path, RandomAccess.GetLength(handle));
        if (_disposed || _open.Count >= Capacity || !_open.TryAdd(path, entry))
        {
            // Full, or another request opened it meanwhile: this reader keeps its own handle.
            return BlobReadStream.Owning(handle, path, entry.Length);
        }
        if (_disposed) Close(path, entry);
        // Closed since it was added (the blob deleted, the store disposed): read the file as it is now, if it is still there.
        return entry.TryLease() ?? BlobReadStream.Open(path);
    }

    /// <summary>Closes the handle of a blob that was deleted (readers still reading finish first).</summary>
    public void Forget(string path)
    {
        if (_open.TryGetValue(path, out var entry)) Close(path, entry);
    }

    private void CloseIdle()
    {
        foreach (var (path, entry) in _open)
        {
            if (Interlocked.Exchange(ref entry.Used, 0) == 0) Close(path, entry);
        }
    }

    private void Close(string path, Entry entry)
    {
        if (_open.TryRemove(new KeyValuePair<string, Entry>(path, entry))) entry.Handle.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        _idle.Dispose();
        foreach (var (path, entry) in _open) Close(path, entry);
    }

    private sealed class Entry(SafeFileHandle handle, string path, long length)
    {
        public readonly SafeFileHandle Handle = handle;
        public readonly long Length = length;
        public int Used = 1;

        /// <summary>A reader's stream on the handle; null when the handle was closed meanwhile.</summary>
        public BlobReadStream? TryLease()
        {
            var leased = false;
            try
            {
                Handle.DangerousAddRef(ref leased);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            Volatile.Write(ref Used, 1);
            return BlobReadStream.Leased(Handle, path, Length);
        }
    }
}
