using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using System.Security.Cryptography;

namespace Catalog.Infrastructure.Blobs;

/// <summary>
/// Blobs as files: <c>{root}/ab/{sha256}</c> (an older build's <c>{root}/ab/cd/{sha256}</c> are found, read, listed and
/// removed where they are; a folder per pair of levels cost every new blob a <c>mkdir</c> of its own, BENCHMARKS.md). Staging writes
/// a file with no name in <c>{root}/tmp</c> (Linux <c>O_TMPFILE</c>) while hashing, and fsyncs it; committing names it in place
/// (<c>linkat</c>) and fsyncs the directory, so a blob named by an event survives a crash. Memory use is one copy buffer
/// whatever the size. A batch (the imports) stages without the fsync, names every file in place, then flushes the file
/// system once (<c>syncfs</c>, where Linux has it): the same guarantee with one flush instead of two per file. A batch's
/// file of known length, 64 KiB or more, is written past the page cache (<c>O_DIRECT</c>, where the file system has it).
/// <para>A file with no name needs no sweeping: it is gone when its process closes it or ends, however it ends. Nor does it
/// take an entry in the staging folder, whose lock every stager shared: an import of thousands of small files waited on
/// it (BENCHMARKS.md, "Staging files with no name"). Where the file system has no such files (or <c>unnamedStaging</c> is
/// off), staging writes <c>{root}/tmp/{owner}.{n}</c> and renames it into place, as below.</para>
/// <para>Each store (a process: the service, the CLI) stages under a name of its own, <c>tmp/{owner}.{n}</c>, and holds
/// <c>tmp/{owner}.lock</c> open with an exclusive lock (<c>flock</c>, through <see cref="FileShare.None"/>) from before its
/// first staging file is created until the store is disposed or its process ends; the staged bytes themselves stay
/// readable (to check and probe them before the commit). One lock for all of a process's staging files, not one per
/// file: an import of thousands of small files creates and deletes no file beside each. A staging file whose owner's
/// lock nobody holds was left by a process that stopped (a kill, a crash): it is removed when a store opens (each start)
/// and by every sweep; one in progress is never touched. (Staging files of older builds, <c>tmp/{id}</c> with their own
/// <c>tmp/{id}.lock</c>, follow the same rule.)</para>
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore, IDisposable
{
    private const int CopyBufferSize = 128 * 1024;
    private const string LockSuffix = ".lock";

    /// <summary>
    /// At most this many files with no name held open at once (an import holds two batches' worth until they are named): past
    /// it, staging names its files, which it closes once written, so a large batch never runs the process out of handles.
    /// </summary>
    public const int UnnamedHeldMax = 1024;

    /// <summary>How long a lock file alone (its stager between creating and locking it) is taken for one in use.</summary>
    private static readonly TimeSpan FreshLock = TimeSpan.FromMinutes(1);

    private readonly string _root;
    private readonly string _temporary;
    private readonly Func<string, IEnumerable<string>>? _derived;
    private bool _unnamedStaging;

    /// <summary>Whether the store had an older build's folders (<c>ab/cd/</c>) when opened (<see cref="MakeFolders"/>): this build makes none.</summary>
    private bool _olderLayout;
    private int _unnamedHeld;
    private readonly Lock _owning = new();
    private (string Name, FileStream Lock)? _owner;
    private long _staged;
    private bool _disposed;
    private SharedBlobHandles? _serving;

    /// <param name="derived">The files made from a blob (its thumbnails), removed with it.</param>
    /// <param name="unnamedStaging">Whether to stage in files with no name where the file system has them (false: always named).</param>
    public FileSystemBlobStore(string root, Func<string, IEnumerable<string>>? derived = null, bool unnamedStaging = true)
    {
        _derived = derived;
        _unnamedStaging = unnamedStaging && Directory.Exists("/proc/self/fd"); // (how an unnamed file is read and named)
        _root = Path.GetFullPath(root);
        _temporary = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(_temporary);
        MakeFolders();
        RemoveAbandonedStagingFiles();
    }

    /// <summary>
    /// The 256 folders <c>00/</c>…<c>ff/</c> made once, with the store, rather than by the first blob of each: a folder is an
    /// inode and a block to allocate, ~0.5 ms each on ext4, which an import into a new catalog paid inside its batches
    /// (BENCHMARKS.md, "The blob store's folders made with it"). A store whose folders are there checks each (a <c>stat</c>).
    /// </summary>
    private void MakeFolders()
    {
        var made = false;
        for (var i = 0; i < 256; i++)
        {
            var folder = Path.Combine(_root, i.ToString("x2"));
            // A folder with folders in it (more than its 2 names) holds an older build's blobs; where the count cannot be read, one may.
            var names = FileSystem.LinkCount(folder);
            if (names is not null || Directory.Exists(folder))
            {
                _olderLayout |= names is not 2;
                continue;
            }
            Directory.CreateDirectory(folder);
            made = true;
        }
        if (made) FileSystem.SyncDirectory(_root); // their names durable before any blob is named in them
    }

    public string Root => _root;

    /// <summary>Where a blob is written: <c>{root}/ab/{sha256}</c>.</summary>
    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            throw new ArgumentException($"'{sha256}' is not a SHA-256 hex digest.", nameof(sha256));
        return Path.Combine(_root, sha256[..2], sha256);
    }

    /// <summary>Where an older build wrote it: <c>{root}/ab/cd/{sha256}</c>.</summary>
    private string OlderPathOf(string sha256) => Path.Combine(_root, sha256[..2], sha256[2..4], sha256);

    /// <summary>Whether the blob is stored (in either layout), and where.</summary>
    private string? Find(string sha256) => PathOf(sha256) is var path && File.Exists(path) ? path : FindOlder(sha256);

    /// <summary>Where an older build stored the blob, when it did; not looked for in a store that had none of its folders when opened.</summary>
    private string? FindOlder(string sha256) => _olderLayout && OlderPathOf(sha256) is var older && File.Exists(older) ? older : null;

    /// <summary>A staged file this large or larger starts its write-back as soon as it is written (<see cref="FileSystem.StartWriteBack"/>).</summary>
    private const long WriteBackFrom = 64 << 10;

    public async Task<StagedBlob> StageAsync(Stream content, long maxBytes, CancellationToken ct, bool flush = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        StagingFile? staging = null;
        byte[]? aligned = null, pooled = null;
        try
        {
            staging = TryCreateUnnamed() ?? (StagingFile)new NamedFile(NextStagingName());
            var file = staging.Writer;
            // A batch's file of some size goes straight to the disk (O_DIRECT): written into the page cache it took pages the
            // host had taken back, each at the cost of a fault, and filled memory with copies nobody reads soon (BENCHMARKS.md,
            // "Past the page cache"); the import probes its source instead. A stream of unknown length (a request's body) and
            // an upload's file stay cached: an upload's thumbnail is made next.
            var direct = !flush && content.CanSeek && content.Length - content.Position >= DirectFrom && FileSystem.WriteDirect(file.SafeFileHandle, on: true);
            var window = direct ? RentAligned(out aligned) : (pooled = ArrayPool<byte>.Shared.Rent(CopyBufferSize)).AsMemory(0, CopyBufferSize);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new byte[StagedBlob.HeadLength];
            var headLength = 0;
            var tail = new StagedTail();
            long length = 0;
            int read;
            // The buffer filled before it is hashed and written: a request body's reads return a few KiB each (the form
            // reader's buffer), and each write was a system call and a hop to the thread pool (BENCHMARKS.md, "Uploads beside the import").
            while ((read = await content.ReadAtLeastAsync(window, window.Length, throwOnEndOfStream: false, ct)) > 0)
            {
                var chunk = window[..read];
                length += read;
                if (length > maxBytes) throw new BlobTooLargeException(maxBytes);
                if (headLength < head.Length)
                {
                    var take = Math.Min(read, head.Length - headLength);
                    chunk.Span[..take].CopyTo(head.AsSpan(headLength));
                    headLength += take;
                }
                tail.Append(chunk.Span);
                hash.AppendData(chunk.Span);
                if (direct) WritePastCache(file.SafeFileHandle, chunk.Span, length - read);
                else await file.WriteAsync(chunk, ct);
            }
            if (flush) file.Flush(flushToDisk: true);
            // The batch's one flush will find it (mostly) written. A small file is left to that flush alone: one call and one
            // write to the disk each cost more than it saves (BENCHMARKS.md, "A small file's staging"; from 64 KiB it pays: "The blob
            // store's folders made with it").
            else if (length >= WriteBackFrom && !direct) FileSystem.StartWriteBack(file.SafeFileHandle);
            await staging.WrittenAsync();

            return new FileSystemStagedBlob(this, staging, flushed: flush)
            {
                Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
                Length = length,
                Head = head.AsMemory(0, headLength),
                Tail = tail.Bytes,
            };
        }
        catch
        {
            staging?.Drop();
            throw;
        }
        finally
        {
            if (pooled is not null) ArrayPool<byte>.Shared.Return(pooled);
            if (aligned is not null) AlignedBuffers.Add(aligned);
        }
    }

    /// <summary>A staged file this large or larger, in a batch, is written past the page cache (<see cref="FileSystem.WriteDirect"/>).</summary>
    private const long DirectFrom = 64 << 10;

    /// <summary>A direct write's size: each waits for the disk, so fewer and larger than the page cache's.</summary>
    private const int DirectBufferSize = 1 << 20;

    /// <summary>Copy buffers whose memory never moves, each with a window of <see cref="DirectBufferSize"/> aligned for direct writes; one per stager at work.</summary>
    private static readonly ConcurrentBag<byte[]> AlignedBuffers = [];

    private static Memory<byte> RentAligned(out byte[] array)
    {
        if (!AlignedBuffers.TryTake(out array!))
            array = GC.AllocateUninitializedArray<byte>(DirectBufferSize + FileSystem.DirectAlignment, pinned: true);
        var misaligned = (int)(Marshal.UnsafeAddrOfPinnedArrayElement(array, 0) & (FileSystem.DirectAlignment - 1));
        return array.AsMemory(misaligned == 0 ? 0 : FileSystem.DirectAlignment - misaligned, DirectBufferSize);
    }

    /// <summary>
    /// Writes a chunk past the page cache: every chunk but the last is a whole <see cref="DirectBufferSize"/>; the last one's
    /// aligned part goes direct too, and what is left of it (less than a page) through the cache, direct writes turned off.
    /// </summary>
    private static void WritePastCache(SafeFileHandle file, ReadOnlySpan<byte> chunk, long offset)
    {
        var whole = chunk.Length & ~(FileSystem.DirectAlignment - 1);
        if (whole > 0) RandomAccess.Write(file, chunk[..whole], offset);
        if (whole == chunk.Length) return;
        if (!FileSystem.WriteDirect(file, on: false)) throw new IOException("Could not turn direct writes off for a staged file's last bytes.");
        RandomAccess.Write(file, chunk[whole..], offset + whole);
    }

    /// <summary>A new file with no name to stage in; null where the file system has none, or while <see cref="UnnamedHeldMax"/> are held.</summary>
    private UnnamedFile? TryCreateUnnamed()
    {
        if (!Volatile.Read(ref _unnamedStaging)) return null;
        if (Interlocked.Increment(ref _unnamedHeld) > UnnamedHeldMax)
        {
            Interlocked.Decrement(ref _unnamedHeld);
            return null;
        }
        try
        {
            if (FileSystem.CreateUnnamed(_temporary) is { } file) return new UnnamedFile(this, file);
            Volatile.Write(ref _unnamedStaging, false); // this file system has none: named from now on
        }
        catch
        {
            Interlocked.Decrement(ref _unnamedHeld);
            throw;
        }
        Interlocked.Decrement(ref _unnamedHeld);
        return null;
    }

    /// <summary>Where staged bytes wait for their commit: a named file in <c>tmp/</c>, or one with no name held open.</summary>
    private abstract class StagingFile
    {
        /// <summary>Where the bytes are written.</summary>
        public abstract FileStream Writer { get; }

        /// <summary>The bytes are all written: a named file is closed (it is read, flushed and moved by name); one with no name
        /// is held open until it is named or dropped.</summary>
        public virtual ValueTask WrittenAsync() => ValueTask.CompletedTask;

        /// <summary>Where the bytes are read until they are in place.</summary>
        public abstract string Path { get; }

        /// <summary>Makes the bytes durable (fsync).</summary>
        public abstract void Flush();

        /// <summary>Puts the file at <paramref name="target"/> (replacing the same bytes); a <see cref="FileNotFoundException"/> or
        /// <see cref="DirectoryNotFoundException"/> when its folder is missing.</summary>
        public abstract void MoveTo(string target);

        /// <summary>Lets go of it: a named one closed and removed, one with no name closed (and so freed).</summary>
        public abstract void Drop();
    }

    /// <summary>A staging file named <paramref name="path"/>, created (and opened to write) with it.</summary>
    private sealed class NamedFile(string path) : StagingFile
    {
        private readonly FileStream _writer = FileSystem.CreateNew(path);

        public override FileStream Writer => _writer;
        public override ValueTask WrittenAsync() => _writer.DisposeAsync();
        public override string Path => path;
        public override void Flush() => FileSystem.SyncFile(path);
        public override void MoveTo(string target) => File.Move(path, target, overwrite: true);

        public override void Drop()
        {
            _writer.Dispose();
            File.Delete(path);
        }
    }

    /// <summary>A staging file with no name, held open until it is named or dropped (and then counted as held no more).</summary>
    private sealed class UnnamedFile(FileSystemBlobStore store, FileStream file) : StagingFile
    {
        private int _closed;

        public override FileStream Writer => file;

        public override string Path => FileSystem.PathOf(file.SafeFileHandle);

        public override void Flush() => file.Flush(flushToDisk: true);

        /// <summary>Named at <paramref name="target"/>, or the name was taken meanwhile by a stager of the same bytes: either way these bytes are there.</summary>
        public override void MoveTo(string target)
        {
            FileSystem.Link(file.SafeFileHandle, target);
            Drop();
        }

        public override void Drop()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            file.Dispose();
            Interlocked.Decrement(ref store._unnamedHeld);
        }
    }

    /// <summary>A new staging name under this store's owner name, whose lock is taken at the first.</summary>
    private string NextStagingName()
    {
        lock (_owning)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _owner ??= HoldOwnerName();
            return Path.Combine(_temporary, $"{_owner.Value.Name}.{++_staged}");
        }
    }

    /// <summary>
    /// The store's owner name, its lock file created and held. Creating and locking are two steps: the sweep leaves a young
    /// lock file with no staging file beside it alone (<see cref="FreshLock"/>), so it never takes one in between; should
    /// one be locked anyway (a clock jump), the lock fails here and another name is taken.
    /// </summary>
    private (string Name, FileStream Lock) HoldOwnerName()
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = Guid.NewGuid().ToString("N");
            var path = Path.Combine(_temporary, name + LockSuffix);
            try
            {
                return (name, new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
            }
            catch (IOException) when (attempt < 3 && File.Exists(path))
            {
                // Locked by a sweep between our create and our lock: it will remove that file; take another.
            }
        }
    }

    /// <summary>The owner whose lock guards a staging file: its name up to the first dot (<c>{owner}.{n}</c>; an older build's <c>{id}</c> is its own).</summary>
    private static string OwnerOf(string fileName)
    {
        var dot = fileName.IndexOf('.');
        return dot < 0 ? fileName : fileName[..dot];
    }

    /// <summary>Lets go of the owner lock (its file removed first, while still held): what this store left staged is abandoned from now on.</summary>
    public void Dispose()
    {
        lock (_owning)
        {
            if (_disposed) return;
            _disposed = true;
            _serving?.Dispose();
            if (_owner is not { } owner) return;
            File.Delete(Path.Combine(_temporary, owner.Name + LockSuffix)); // nobody can take it for abandoned meanwhile
            owner.Lock.Dispose();
        }
    }

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct) =>
        Task.FromResult<Stream?>(BlobReadStream.Open(PathOf(sha256)) ?? BlobReadStream.Open(OlderPathOf(sha256)));

    /// <summary>Served from the file's shared handle (<see cref="SharedBlobHandles"/>): the media endpoints read a hot blob without opening it.</summary>
    public Task<Stream?> OpenForServingAsync(string sha256, CancellationToken ct)
    {
        var path = PathOf(sha256);
        var serving = Volatile.Read(ref _serving);
        if (serving is null)
        {
            lock (_owning) serving = _disposed ? null : _serving ??= new SharedBlobHandles();
        }
        return Task.FromResult<Stream?>(serving is null
            ? BlobReadStream.Open(path) ?? BlobReadStream.Open(OlderPathOf(sha256))
            : serving.Open(path) ?? serving.Open(OlderPathOf(sha256)));
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken ct) => Task.FromResult(Find(sha256) is not null);

    public async IAsyncEnumerable<StoredBlob> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var first in Directory.EnumerateDirectories(_root).Where(d => Path.GetFileName(d).Length == 2))
        foreach (var file in Directory.EnumerateFiles(first).Concat(Directory.EnumerateDirectories(first).SelectMany(Directory.EnumerateFiles)))
        {
            ct.ThrowIfCancellationRequested();
            var info = new FileInfo(file);
            if (info.Name.Length != 64) continue;
            long length;
            try
            {
                length = info.Length;
            }
            catch (FileNotFoundException)
            {
                continue; // removed since the folder was read (another sweep, on this node or another): not stored any more
            }
            yield return new StoredBlob(info.Name, length);
        }
        await Task.CompletedTask;
    }

    public Task DeleteAsync(string sha256, CancellationToken ct)
    {
        foreach (var path in (string[])[PathOf(sha256), OlderPathOf(sha256)])
        {
            if (File.Exists(path)) File.Delete(path); // (File.Delete throws when the folder is missing)
            _serving?.Forget(path);
        }
        foreach (var file in _derived?.Invoke(sha256) ?? [])
            if (File.Exists(file)) File.Delete(file); // (File.Delete throws when the folder is missing)
        return Task.CompletedTask;
    }

    /// <param name="placedAt">Where a batch whose flush did not happen put the blob already, or null while it is staged.</param>
    /// <returns>Where the blob is.</returns>
    private string Commit(StagingFile staged, string sha256, bool flushed, string? placedAt)
    {
        if (placedAt is not null)
        {
            // Put into place by a batch whose flush did not happen: flush this one now.
            FileSystem.SyncFile(placedAt);
            FileSystem.SyncDirectory(Path.GetDirectoryName(placedAt)!);
            return placedAt;
        }
        if (!flushed) staged.Flush();
        var (path, moved) = Place(staged, sha256);
        if (moved) FileSystem.SyncDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Names (or renames) the staged file in place, or drops it when the same bytes are stored already (in either layout).</summary>
    /// <returns>Where the blob is now, and whether this staging file went there (its folder to be flushed).</returns>
    private (string Path, bool Moved) Place(StagingFile staged, string sha256)
    {
        // A file with no name is linked in place, and leaves a blob already there as it is: not looked for first (two
        // lstat calls a file were ~4% of the service's CPU in a small file's import, BENCHMARKS.md). A named one is renamed, which would replace it.
        if ((staged is UnnamedFile ? FindOlder(sha256) : Find(sha256)) is { } stored)
        {
            staged.Drop(); // same bytes already stored: one blob
            return (stored, false);
        }
        var target = PathOf(sha256);
        try
        {
            staged.MoveTo(target);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException && File.Exists(staged.Path))
        {
            // The staging file is there, so its folder is not: the store made all 256 at its start, so something removed this
            // one since (by hand, a tool). Made again here, once: the move is tried first, so no other blob calls mkdir.
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            staged.MoveTo(target);
        }
        // The folder is flushed even when another stager of the same bytes named it first: it may not have flushed it yet.
        return (target, true);
    }

    public async Task CommitAllAsync(IReadOnlyCollection<StagedBlob> staged, CancellationToken ct)
    {
        var mine = staged.Select(b => b as FileSystemStagedBlob ?? throw new ArgumentException("A blob staged by another store.", nameof(staged))).ToList();
        if (!FileSystem.CanSyncFileSystem || mine.Count == 1)
        {
            foreach (var blob in mine) await blob.CommitAsync(ct);
            return;
        }
        foreach (var blob in mine) blob.Place();
        FileSystem.SyncFileSystem(_root); // every staged byte and every new name, in one flush
        foreach (var blob in mine)
        {
            blob.Committed();
            // A batch's bytes leave the page cache once durable: an archive's import does not push the database's and the
            // served media's pages out of memory, and the next batch's writes take the pages this one leaves instead of
            // pages the machine had not used (BENCHMARKS.md, "Pages a batch leaves"). A small file's few pages stay.
            if (blob.Length >= WriteBackFrom) FileSystem.DropCachedPages(blob.LocalPath);
        }
    }

    /// <summary>Removes the staging files whose owner's lock nobody holds (left by a process that stopped mid-upload); returns how many.</summary>
    public int RemoveAbandonedStagingFiles()
    {
        var removed = 0;
        var owners = Directory.EnumerateFiles(_temporary).Select(Path.GetFileName).OfType<string>()
            .GroupBy(name => name.EndsWith(LockSuffix, StringComparison.Ordinal) ? name[..^LockSuffix.Length] : OwnerOf(name), StringComparer.Ordinal);
        foreach (var files in owners)
        {
            var lockPath = Path.Combine(_temporary, files.Key + LockSuffix);
            var staging = files.Where(name => name != files.Key + LockSuffix).Select(name => Path.Combine(_temporary, name)).ToList();
            // A lock file alone may be one a stager has just created and not yet locked (a staging file is only written
            // once its lock is held): taking it now would leave the stager holding a lock on a file no longer there.
            if (staging.Count == 0 && DateTime.UtcNow - File.GetLastWriteTimeUtc(lockPath) < FreshLock) continue;
            try
            {
                using var abandoned = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
                // Held now by this sweep: its owner has stopped, and nobody stages under its name again.
                foreach (var path in staging.Where(File.Exists))
                {
                    File.Delete(path);
                    removed++;
                }
                File.Delete(lockPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Held by a process staging under that name (or gone meanwhile): not abandoned.
            }
        }
        return removed;
    }

    public Task<int> RemoveAbandonedStagingAsync(CancellationToken ct) => Task.FromResult(RemoveAbandonedStagingFiles());

    private sealed class FileSystemStagedBlob(FileSystemBlobStore store, StagingFile staged, bool flushed) : StagedBlob
    {
        private bool _committed;
        private string? _placedAt;
        private bool _released;

        /// <summary>The staging file (one with no name through <c>/proc</c>); once in place, the blob's own file (the same bytes).</summary>
        public override string LocalPath => _placedAt ?? staged.Path;

        public override Task CommitAsync(CancellationToken ct)
        {
            if (!_committed) _placedAt = store.Commit(staged, Sha256, flushed, _placedAt);
            _committed = true;
            return Task.CompletedTask;
        }

        /// <summary>In place, not yet flushed (a batch's step before its one flush).</summary>
        public void Place()
        {
            if (_placedAt is not null || _committed) return;
            _placedAt = store.Place(staged, Sha256).Path;
        }

        public void Committed() => _committed = true;

        public override ValueTask DisposeAsync()
        {
            if (_released) return ValueTask.CompletedTask;
            if (!_committed && _placedAt is null) staged.Drop();
            _released = true;
            return ValueTask.CompletedTask;
        }
    }
}
