namespace Catalog.Infrastructure.Blobs;

/// <summary>
/// Content-addressed storage for media bytes, keyed by SHA-256 (lower-case hex). Bytes go in as a stream
/// in two steps: <see cref="StageAsync"/> writes them somewhere private while hashing and counting, and
/// <see cref="StagedBlob.CommitAsync"/> makes them durable under their hash. Only after the commit may an
/// event name the hash. Same bytes twice = one blob. The file system store is the default; a PostgreSQL-
/// or object-storage-backed store implements the same contract for several nodes.
/// </summary>
public interface IBlobStore
{
    /// <summary>Streams <paramref name="content"/> to private storage. Throws <see cref="BlobTooLargeException"/> past <paramref name="maxBytes"/>.</summary>
    /// <param name="flush">Flush the staged bytes to disk now (one flush per file); false leaves that to the commit —
    /// <see cref="CommitAllAsync"/> flushes a whole batch at once.</param>
    Task<StagedBlob> StageAsync(Stream content, long maxBytes, CancellationToken ct, bool flush = true);

    /// <summary>
    /// Commits many staged blobs with one flush for all of them (the file store: every rename, then one <c>syncfs</c>)
    /// instead of one per file: when it returns, every one is durable under its hash, exactly as after
    /// <see cref="StagedBlob.CommitAsync"/> on each.
    /// </summary>
    Task CommitAllAsync(IReadOnlyCollection<StagedBlob> staged, CancellationToken ct);

    /// <summary>A seekable read stream over the blob, or null when the store has no such blob.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct);

    /// <summary>
    /// The same, for serving the bytes over HTTP: a store may share one open file among its readers (the file store keeps
    /// the hot blobs' files open). Streams from here are read and disposed promptly, never kept.
    /// </summary>
    Task<Stream?> OpenForServingAsync(string sha256, CancellationToken ct) => OpenReadAsync(sha256, ct);

    Task<bool> ExistsAsync(string sha256, CancellationToken ct);

    /// <summary>Every blob in the store (for the purge's sweep).</summary>
    IAsyncEnumerable<StoredBlob> ListAsync(CancellationToken ct);

    /// <summary>Removes a blob; only the purge's sweep does, for blobs nothing references.</summary>
    Task DeleteAsync(string sha256, CancellationToken ct);

    /// <summary>Removes what stagings left unfinished by a process that stopped (never one in progress); returns how many.</summary>
    Task<int> RemoveAbandonedStagingAsync(CancellationToken ct);
}

public sealed record StoredBlob(string Sha256, long Length);

/// <summary>Bytes written but not yet visible. Disposing without committing discards them.</summary>
public abstract class StagedBlob : IAsyncDisposable
{
    public const int HeadLength = 4096;

    /// <summary>SHA-256 of the bytes, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    public required long Length { get; init; }

    /// <summary>The first bytes (up to <see cref="HeadLength"/>), for recognising the format.</summary>
    public required ReadOnlyMemory<byte> Head { get; init; }

    public const int TailLength = 1024;

    /// <summary>The last bytes (up to <see cref="TailLength"/>), where most image formats say whether the file is whole.</summary>
    public required ReadOnlyMemory<byte> Tail { get; init; }

    /// <summary>The MIME type a probe found these bytes whole as (<c>MediaProbe.ProbeAsync(StagedBlob, …)</c>), so the registration need not walk them again; null until then.</summary>
    public string? FoundWholeAs { get; set; }

    /// <summary>The staged bytes as a local file, to read (probe, check) before they are committed. Never write to it.</summary>
    public abstract string LocalPath { get; }

    /// <summary>Makes the bytes durable under <see cref="Sha256"/>. Safe to call when the blob already exists.</summary>
    public abstract Task CommitAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();
}

/// <summary>The last <see cref="StagedBlob.TailLength"/> bytes of a stream written in pieces.</summary>
internal sealed class StagedTail
{
    private readonly byte[] _bytes = new byte[StagedBlob.TailLength];
    private int _length;

    public void Append(ReadOnlySpan<byte> piece)
    {
        if (piece.Length >= _bytes.Length)
        {
            piece[^_bytes.Length..].CopyTo(_bytes);
            _length = _bytes.Length;
            return;
        }
        var keep = Math.Min(_length, _bytes.Length - piece.Length);
        _bytes.AsSpan(_length - keep, keep).CopyTo(_bytes); // the newest of what was there, moved to the front
        piece.CopyTo(_bytes.AsSpan(keep));
        _length = keep + piece.Length;
    }

    /// <summary>The bytes kept, without a copy: the tail is done with once the stream is written.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes.AsMemory(0, _length);
}

public sealed class BlobTooLargeException(long maxBytes)
    : Exception($"The content is larger than the limit of {maxBytes:N0} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
