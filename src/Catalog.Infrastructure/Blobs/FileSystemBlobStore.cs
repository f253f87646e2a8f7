using System.Buffers;
using System.Security.Cryptography;

namespace Catalog.Infrastructure.Blobs;

/// <summary>
/// Blobs as files: <c>{root}/ab/cd/{sha256}</c>. Staging writes <c>{root}/tmp/{random}</c> while hashing,
/// fsyncs it; committing renames it into place and fsyncs the directory, so a blob named by an event
/// survives a crash. Memory use is one copy buffer whatever the size.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const int CopyBufferSize = 128 * 1024;
    private static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromDays(1);

    private readonly string _root;
    private readonly string _temporary;

    public FileSystemBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        _temporary = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(_temporary);
        RemoveStaleTemporaryFiles();
    }

    public string Root => _root;

    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            throw new ArgumentException($"'{sha256}' is not a SHA-256 hex digest.", nameof(sha256));
        return Path.Combine(_root, sha256[..2], sha256[2..4], sha256);
    }

    public async Task<StagedBlob> StageAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var temporary = Path.Combine(_temporary, Guid.NewGuid().ToString("N"));
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new byte[StagedBlob.HeadLength];
            var headLength = 0;
            long length = 0;

            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                             bufferSize: 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), ct)) > 0)
                {
                    length += read;
                    if (length > maxBytes) throw new BlobTooLargeException(maxBytes);
                    if (headLength < head.Length)
                    {
                        var take = Math.Min(read, head.Length - headLength);
                        buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                        headLength += take;
                    }
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                file.Flush(flushToDisk: true);
            }

            return new FileSystemStagedBlob(this, temporary)
            {
                Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
                Length = length,
                Head = head.AsMemory(0, headLength),
            };
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path)) return Task.FromResult<Stream?>(null);
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read,
            bufferSize: 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult<Stream?>(stream);
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken ct) => Task.FromResult(File.Exists(PathOf(sha256)));

    public async IAsyncEnumerable<StoredBlob> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var first in Directory.EnumerateDirectories(_root).Where(d => Path.GetFileName(d).Length == 2))
        foreach (var second in Directory.EnumerateDirectories(first))
        foreach (var file in Directory.EnumerateFiles(second))
        {
            ct.ThrowIfCancellationRequested();
            var info = new FileInfo(file);
            if (info.Name.Length == 64) yield return new StoredBlob(info.Name, info.Length);
        }
        await Task.CompletedTask;
    }

    public Task DeleteAsync(string sha256, CancellationToken ct)
    {
        File.Delete(PathOf(sha256));
        return Task.CompletedTask;
    }

    private void Commit(string temporary, string sha256)
    {
        var target = PathOf(sha256);
        if (File.Exists(target))
        {
            File.Delete(temporary); // same bytes already stored: one blob
            return;
        }
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        File.Move(temporary, target, overwrite: true);
        FileSystem.SyncDirectory(directory);
    }

    private void RemoveStaleTemporaryFiles()
    {
        foreach (var file in Directory.EnumerateFiles(_temporary))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > StaleTemporaryAge) File.Delete(file);
        }
    }

    private sealed class FileSystemStagedBlob(FileSystemBlobStore store, string temporary) : StagedBlob
    {
        private bool _committed;

        public override Task CommitAsync(CancellationToken ct)
        {
            store.Commit(temporary, Sha256);
            _committed = true;
            return Task.CompletedTask;
        }

        public override ValueTask DisposeAsync()
        {
            if (!_committed) File.Delete(temporary);
            return ValueTask.CompletedTask;
        }
    }
}
