using System.Security.Cryptography;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Blobs;
using Catalog.Testing;

namespace Catalog.Infrastructure.Tests;

/// <summary>Runs alone: one test counts the process's allocations, which tests running beside it would add to.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurements
{
    public const string Name = "allocation measurements";
}

[Collection(AllocationMeasurements.Name)]
public sealed class FileSystemBlobStoreTests : IDisposable
{
    private readonly TempDirectory _root = new("catalog-blob-test-");
    private FileSystemBlobStore Store => new(_root.Path);

    /// <summary>A store staging in named files, as where the file system has no files without a name (<c>O_TMPFILE</c>).</summary>
    private FileSystemBlobStore Named => new(_root.Path, unnamedStaging: false);

    private FileSystemBlobStore StoreStaging(bool named) => named ? Named : Store;

    private string Tmp => Path.Combine(_root.Path, "tmp");

    /// <summary>The staged bytes in the staging folder (the stores' lock files aside).</summary>
    private string[] Staging => Directory.GetFiles(Tmp).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).ToArray();

    private string[] Locks => Directory.GetFiles(Tmp, "*.lock");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task commits_the_bytes_under_their_sha256(bool named)
    {
        var bytes = TestMedia.Png(seed: 1);
        var store = StoreStaging(named);
        await using (var staged = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default))
        {
            Assert.Equal(TestMedia.Sha256(bytes), staged.Sha256);
            Assert.Equal(bytes.Length, staged.Length);
            Assert.Equal(bytes.Take(StagedBlob.HeadLength), staged.Head.ToArray());
            Assert.False(await store.ExistsAsync(staged.Sha256, default), "nothing is visible before the commit");
            await staged.CommitAsync(default);
        }

        var sha = TestMedia.Sha256(bytes);
        Assert.Equal(Path.Combine(_root.Path, sha[..2], sha), store.PathOf(sha)); // one folder level: no mkdir for most blobs
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathOf(sha)));
        await using var read = (await store.OpenReadAsync(sha, default))!;
        Assert.True(read.CanSeek);
        Assert.Equal(bytes.Length, read.Length);
        Assert.Empty(Staging);
    }

    [Fact]
    public async Task the_store_makes_its_256_folders_with_it_and_a_blob_whose_folder_went_missing_still_lands()
    {
        var store = Store;
        var folders = Directory.GetDirectories(_root.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(0, 256).Select(i => i.ToString("x2")).Append("tmp"), folders);

        // A folder removed behind the store's back (by hand, by a tool): the blob's commit makes it again.
        var bytes = TestMedia.Png(seed: 7);
        var sha = TestMedia.Sha256(bytes);
        Directory.Delete(Path.Combine(_root.Path, sha[..2]));
        await using (var staged = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default)) await staged.CommitAsync(default);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathOf(sha)));

        // Another store over the same root keeps what is there and makes what is missing.
        Directory.Delete(Path.Combine(_root.Path, sha[..2] == "00" ? "01" : "00")); // an empty one
        var again = Store;
        Assert.Equal(257, Directory.GetDirectories(_root.Path).Length);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(again.PathOf(sha)));
    }

    [Fact]
    public async Task a_blob_is_read_in_place_whole_from_any_position_and_to_its_end()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var store = Store;
        await using (var staged = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default)) await staged.CommitAsync(default);
        var sha = TestMedia.Sha256(bytes);

        await using (var whole = (await store.OpenReadAsync(sha, default))!)
        {
            var copy = new MemoryStream();
            await whole.CopyToAsync(copy, 7_000); // many reads, the last one short
            Assert.Equal(bytes, copy.ToArray());
            Assert.Equal(0, await whole.ReadAsync(new byte[10])); // at the end: nothing more
        }

        await using var ranged = (await store.OpenReadAsync(sha, default))!;
        ranged.Seek(-100, SeekOrigin.End);
        var tail = new byte[500];
        var read = await ranged.ReadAsync(tail);
        Assert.Equal(100, read);
        Assert.Equal(bytes[^100..], tail[..100]);
        ranged.Position = 123_456;
        var middle = new byte[1_000];
        ranged.ReadExactly(middle);
        Assert.Equal(bytes.AsSpan(123_456, 1_000).ToArray(), middle);
        Assert.Equal(124_456, ranged.Position);
        Assert.Throws<NotSupportedException>(() => ranged.Write([1], 0, 1));

        Assert.Null(await store.OpenReadAsync(new string('0', 64), default));
    }

    [Fact]
    public async Task a_blob_removed_while_the_store_is_listed_is_left_out_not_an_error()
    {
        // Two purges sweep at once: one removes a blob the other has already read the name of.
        var store = Store;
        var shas = new[] { "abcd" + new string('1', 60), "abcd" + new string('2', 60) };
        Directory.CreateDirectory(Path.GetDirectoryName(store.PathOf(shas[0]))!);
        foreach (var sha in shas) await File.WriteAllBytesAsync(store.PathOf(sha), TestMedia.Png(seed: sha[^1]));

        var listed = new List<string>();
        await foreach (var blob in store.ListAsync(default))
        {
            if (listed.Count == 0) File.Delete(store.PathOf(shas.Single(s => s != blob.Sha256)));
            listed.Add(blob.Sha256);
        }

        Assert.Single(listed);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(10, 3)]
    [InlineData(1023, 1000)]
    [InlineData(1024, 7)]
    [InlineData(5000, 700)]
    [InlineData(300_000, 81_920)]
    public async Task staging_keeps_the_first_and_last_bytes_whatever_pieces_they_come_in(int length, int piece)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)(i * 31 % 251)).ToArray();
        foreach (var store in new[] { Store, Named })
        {
            await using var staged = await store.StageAsync(new PiecesStream(bytes, piece), long.MaxValue, default, flush: false);
            Assert.Equal(bytes.Take(StagedBlob.HeadLength), staged.Head.ToArray());
            Assert.Equal(bytes.TakeLast(StagedBlob.TailLength), staged.Tail.ToArray());
            Assert.Equal(bytes, await File.ReadAllBytesAsync(staged.LocalPath));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task the_same_bytes_committed_again_leave_the_stored_blob_as_it_is(bool named)
    {
        var bytes = TestMedia.Png(seed: 11);
        var sha = TestMedia.Sha256(bytes);
        using var store = StoreStaging(named);
        await using (var first = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default)) await first.CommitAsync(default);
        var then = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(store.PathOf(sha), then); // the stored file, told apart from any copy of the same bytes

        await using (var alone = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default)) await alone.CommitAsync(default);
        await using (var again = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default, flush: false))
        await using (var other = await store.StageAsync(new MemoryStream(TestMedia.Png(seed: 12)), long.MaxValue, default, flush: false))
        {
            await store.CommitAllAsync([again, other], default);
            Assert.Equal(store.PathOf(sha), again.LocalPath);
        }

        Assert.Equal(then, File.GetLastWriteTimeUtc(store.PathOf(sha)));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathOf(sha)));
        Assert.False(Directory.Exists(Path.Combine(_root.Path, sha[..2], sha[2..4])), "no copy in the older layout");
        Assert.Empty(Staging);
    }

    [Fact]
    public async Task a_blob_an_older_build_stored_two_folders_deep_is_found_read_listed_kept_once_and_removed()
    {
        var bytes = TestMedia.Png(seed: 7);
        var sha = TestMedia.Sha256(bytes);
        var older = Path.Combine(_root.Path, sha[..2], sha[2..4], sha);
        Directory.CreateDirectory(Path.GetDirectoryName(older)!);
        await File.WriteAllBytesAsync(older, bytes);
        using var store = Store;

        Assert.True(await store.ExistsAsync(sha, default));
        await using (var read = (await store.OpenReadAsync(sha, default))!) Assert.Equal(bytes, await ReadAllAsync(read));
        await using (var served = (await store.OpenForServingAsync(sha, default))!) Assert.Equal(bytes, await ReadAllAsync(served));
        var listed = new List<StoredBlob>();
        await foreach (var blob in store.ListAsync(default)) listed.Add(blob);
        Assert.Equal([new StoredBlob(sha, bytes.Length)], listed);

        await using (var again = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default, flush: false))
            await store.CommitAllAsync([again, await store.StageAsync(new MemoryStream(TestMedia.Png(seed: 8)), long.MaxValue, default, flush: false)], default);
        Assert.False(File.Exists(store.PathOf(sha)), "the same bytes are kept once, where they were");
        Assert.True(File.Exists(store.PathOf(TestMedia.Sha256(TestMedia.Png(seed: 8)))));

        await store.DeleteAsync(sha, default);
        Assert.False(File.Exists(older));
        Assert.False(await store.ExistsAsync(sha, default));
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The bytes, at most <paramref name="piece"/> at a time (a network upload's reads).</summary>
    private sealed class PiecesStream(byte[] bytes, int piece) : MemoryStream(bytes)
    {
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => base.ReadAsync(buffer, offset, Math.Min(count, piece), ct);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], ct);
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, piece)]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task blobs_racing_into_a_folder_none_has_made_yet_all_land(bool named)
    {
        // Eight contents for each of the 256 folders (their sha256 share its first two digits), committed eight at a time, a
        // folder's eight together: each folder is made by whichever gets there first while the others try to move into it.
        var contents = Enumerable.Range(0, 60_000).Select(i => BitConverter.GetBytes(i)).GroupBy(b => TestMedia.Sha256(b)[..2])
            .Where(g => g.Count() >= 8).SelectMany(g => g.Take(8)).ToList();
        Assert.Equal(256 * 8, contents.Count);
        using var store = StoreStaging(named);
        var staged = new List<StagedBlob>();
        foreach (var bytes in contents) staged.Add(await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default, flush: false));
        await Parallel.ForEachAsync(staged, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (blob, ct) => await blob.CommitAsync(ct));
        foreach (var (bytes, blob) in contents.Zip(staged))
        {
            Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathOf(blob.Sha256)));
            await blob.DisposeAsync();
        }
        Assert.Empty(Staging);
    }

    [Fact]
    public async Task a_file_staged_without_a_name_is_read_by_another_process_and_leaves_nothing_unless_committed()
    {
        using var store = Store;
        var kept = await store.StageAsync(new MemoryStream(TestMedia.Png(seed: 3)), long.MaxValue, default, flush: false);
        var dropped = await store.StageAsync(new MemoryStream(TestMedia.Png(seed: 4)), long.MaxValue, default);
        Assert.Empty(Directory.GetFiles(Tmp)); // no staging file and no lock file: nothing a crash could leave behind

        // What a probe started as a process of its own (ffprobe) reads there: the staged bytes.
        var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sha256sum", [kept.LocalPath]) { RedirectStandardOutput = true })!;
        var sum = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        Assert.StartsWith(kept.Sha256 + " ", sum);

        await kept.CommitAsync(default);
        Assert.Equal(store.PathOf(kept.Sha256), kept.LocalPath); // its own file once in place
        await kept.DisposeAsync();
        await dropped.DisposeAsync();
        Assert.Equal([store.PathOf(kept.Sha256)], Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
        Assert.Equal(TestMedia.Png(seed: 3), await File.ReadAllBytesAsync(store.PathOf(kept.Sha256)));
    }

    [Fact]
    public async Task past_the_files_with_no_name_a_store_holds_open_it_stages_named_files_and_back_again()
    {
        using var store = Store;
        var staged = new List<StagedBlob>();
        for (var i = 0; i < FileSystemBlobStore.UnnamedHeldMax + 3; i++)
            staged.Add(await store.StageAsync(new MemoryStream(BitConverter.GetBytes(i)), long.MaxValue, default, flush: false));
        Assert.Equal(3, Staging.Length); // the three past the cap: named, and closed once written

        await store.CommitAllAsync(staged, default);
        foreach (var blob in staged) await blob.DisposeAsync();
        Assert.Empty(Staging);
        for (var i = 0; i < staged.Count; i++) Assert.Equal(BitConverter.GetBytes(i), await File.ReadAllBytesAsync(store.PathOf(staged[i].Sha256)));

        await using var again = await store.StageAsync(new MemoryStream([7]), long.MaxValue, default);
        Assert.StartsWith("/proc/", again.LocalPath); // every one let go of: no name again
    }

    [Fact]
    public async Task a_batchs_blobs_leave_the_page_cache_once_durable_a_small_ones_pages_stay()
    {
        var store = Store;
        byte[][] contents = [RandomNumberGenerator.GetBytes(300 << 10), RandomNumberGenerator.GetBytes(1 << 20), RandomNumberGenerator.GetBytes(5000)];
        var staged = new List<StagedBlob>();
        // Streams that cannot tell their length (a request's body): staged through the page cache.
        foreach (var bytes in contents) staged.Add(await store.StageAsync(new OneWayStream(bytes), long.MaxValue, default, flush: false));
        Assert.All(staged, blob => Assert.True(ResidentPages(blob.LocalPath) > 0, "the staged bytes are cached while they are probed"));

        await store.CommitAllAsync(staged, default);

        var paths = staged.Select(b => store.PathOf(b.Sha256)).ToList();
        Assert.Equal(0, ResidentPages(paths[0]));
        Assert.Equal(0, ResidentPages(paths[1]));
        Assert.Equal(2, ResidentPages(paths[2])); // under 64 KiB: left cached
        for (var i = 0; i < contents.Length; i++) Assert.Equal(contents[i], await File.ReadAllBytesAsync(paths[i]));
        foreach (var blob in staged) await blob.DisposeAsync();
    }

    [Theory]
    [InlineData(64 << 10)] // the smallest written past the cache: every write whole pages
    [InlineData((64 << 10) + 1)]
    [InlineData(1 << 20)]
    [InlineData((1 << 20) + 4095)] // a last write of one page short of two
    [InlineData((3 << 20) + 17)]
    public async Task a_batchs_file_of_known_length_goes_past_the_page_cache_byte_for_byte(int length)
    {
        var store = Store;
        var bytes = RandomNumberGenerator.GetBytes(length);
        await using var staged = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default, flush: false);

        // Nothing cached but the last page when the length is not whole pages (written through the cache). A file system
        // without direct writes, or whose pages are its storage (tmpfs, which takes O_DIRECT as a no-op), holds it all.
        var pages = (length + FileSystem.DirectAlignment - 1) / FileSystem.DirectAlignment;
        var pastTheCache = DirectWritesIn(_root.Path) && new DriveInfo(_root.Path).DriveFormat != "tmpfs";
        Assert.Equal(pastTheCache ? length % FileSystem.DirectAlignment == 0 ? 0 : 1 : pages, ResidentPages(staged.LocalPath));
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)length), (staged.Sha256, staged.Length));
        Assert.Equal(bytes.AsSpan(0, StagedBlob.HeadLength).ToArray(), staged.Head.ToArray());
        Assert.Equal(bytes.AsSpan(length - staged.Tail.Length).ToArray(), staged.Tail.ToArray());

        await store.CommitAllAsync([staged], default);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathOf(staged.Sha256)));
    }

    [Fact]
    public async Task a_small_file_an_uploads_and_a_stream_of_unknown_length_stay_in_the_page_cache()
    {
        var store = Store;
        var small = await store.StageAsync(new MemoryStream(RandomNumberGenerator.GetBytes((64 << 10) - 1)), long.MaxValue, default, flush: false);
        var upload = await store.StageAsync(new MemoryStream(RandomNumberGenerator.GetBytes(1 << 20)), long.MaxValue, default, flush: true);
        var unknown = await store.StageAsync(new OneWayStream(RandomNumberGenerator.GetBytes(1 << 20)), long.MaxValue, default, flush: false);
        Assert.Equal((16, 256, 256), (ResidentPages(small.LocalPath), ResidentPages(upload.LocalPath), ResidentPages(unknown.LocalPath)));
        foreach (var blob in new[] { small, upload, unknown }) await blob.DisposeAsync();
    }

    /// <summary>Whether the file system holding <paramref name="folder"/> takes direct writes (<c>O_DIRECT</c>).</summary>
    private static bool DirectWritesIn(string folder)
    {
        var path = Path.Combine(folder, "direct-probe");
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
            return FileSystem.WriteDirect(file.SafeFileHandle, on: true);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A stream that cannot seek, so cannot say how long it is (as a request's body).</summary>
    private sealed class OneWayStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>How many of the file's pages are in the page cache (<c>mincore</c> over a mapping of it).</summary>
    private static int ResidentPages(string path)
    {
        using var file = File.OpenHandle(path);
        var length = (nuint)RandomAccess.GetLength(file);
        var map = Native.mmap(IntPtr.Zero, length, 1 /* PROT_READ */, 1 /* MAP_SHARED */, (int)file.DangerousGetHandle(), 0);
        Assert.NotEqual(-1, (long)map);
        try
        {
            var pages = new byte[((int)length + Environment.SystemPageSize - 1) / Environment.SystemPageSize];
            Assert.Equal(0, Native.mincore(map, length, pages));
            return pages.Count(p => (p & 1) != 0);
        }
        finally
        {
            Native.munmap(map, length);
        }
    }

    private static class Native
    {
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern IntPtr mmap(IntPtr address, nuint length, int protection, int flags, int fd, long offset);

        [System.Runtime.InteropServices.DllImport("libc")]
        public static extern int munmap(IntPtr address, nuint length);

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern int mincore(IntPtr address, nuint length, byte[] pages);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task stagers_of_the_same_bytes_racing_into_place_all_commit_one_blob(bool named)
    {
        var bytes = TestMedia.Wav();
        var staged = new List<StagedBlob>();
        for (var i = 0; i < 16; i++) staged.Add(await StoreStaging(named).StageAsync(new MemoryStream(bytes), long.MaxValue, default, flush: i % 2 == 0));
        await Parallel.ForEachAsync(staged, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (blob, ct) =>
        {
            await blob.CommitAsync(ct);
            await blob.DisposeAsync();
        });
        var sha = TestMedia.Sha256(bytes);
        Assert.Equal([Path.Combine(_root.Path, sha[..2], sha)], Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories).Except(Locks));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_root.Path, sha[..2], sha)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task the_same_bytes_twice_are_one_blob(bool named)
    {
        var bytes = TestMedia.Wav();
        var store = StoreStaging(named);
        for (var i = 0; i < 2; i++)
        {
            await using var staged = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default);
            await staged.CommitAsync(default);
        }
        Assert.Single(Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories).Except(Locks));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task uncommitted_bytes_are_discarded(bool named)
    {
        var store = StoreStaging(named);
        string sha;
        await using (var staged = await store.StageAsync(new MemoryStream(TestMedia.Png()), long.MaxValue, default))
        {
            sha = staged.Sha256;
        }
        Assert.False(await store.ExistsAsync(sha, default));
        Assert.Empty(Staging);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task content_over_the_limit_is_refused_and_leaves_nothing(bool named)
    {
        var error = await Assert.ThrowsAsync<BlobTooLargeException>(() => StoreStaging(named).StageAsync(new MemoryStream(new byte[1001]), 1000, default));
        Assert.Equal(1000, error.MaxBytes);
        Assert.Empty(Staging);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task a_stream_that_fails_midway_leaves_nothing(bool named)
    {
        await Assert.ThrowsAsync<IOException>(() => StoreStaging(named).StageAsync(new FailingStream(300_000), long.MaxValue, default));
        Assert.Empty(Staging);
    }

    [Fact]
    public async Task staging_256_mib_allocates_a_buffer_not_the_file()
    {
        const long size = 256L * 1024 * 1024;
        var store = Store;
        long length = 0;
        var allocated = await Allocations.OfAsync(async () =>
        {
            await using var staged = await store.StageAsync(new PatternStream(size), long.MaxValue, default);
            length = staged.Length;
        });
        Assert.Equal(size, length);
        Assert.True(allocated < 16 * 1024 * 1024, $"staging 256 MiB allocated {allocated:N0} bytes on the staging thread");
    }

    [Fact]
    public void rejects_a_path_for_something_that_is_not_a_digest()
    {
        Assert.Throws<ArgumentException>(() => Store.PathOf("../../etc/passwd"));
        Assert.Throws<ArgumentException>(() => Store.PathOf(new string('g', 64)));
    }

    [Fact]
    public async Task the_sweep_removes_abandoned_staging_and_leaves_what_is_held()
    {
        var store = Named;
        await using var held = await store.StageAsync(new MemoryStream([1, 2, 3]), long.MaxValue, default);
        var tmp = Tmp;
        File.WriteAllBytes(Path.Combine(tmp, "gone"), [9]); // an older build stopped mid-upload: its staging file, its lock file
        File.WriteAllBytes(Path.Combine(tmp, "gone.lock"), []);
        File.WriteAllBytes(Path.Combine(tmp, "dead.1"), [1]); // a process stopped with two files staged under its lock
        File.WriteAllBytes(Path.Combine(tmp, "dead.2"), [2]);
        File.WriteAllBytes(Path.Combine(tmp, "dead.lock"), []);
        File.WriteAllBytes(Path.Combine(tmp, "old.lock"), []); // stopped between creating its lock file and writing
        File.SetLastWriteTimeUtc(Path.Combine(tmp, "old.lock"), DateTime.UtcNow.AddMinutes(-5));
        File.WriteAllBytes(Path.Combine(tmp, "new.lock"), []); // a stager between creating its lock file and locking it

        Assert.Equal(3, store.RemoveAbandonedStagingFiles());

        var owner = Path.GetFileName(held.LocalPath).Split('.')[0];
        Assert.Equal(new[] { held.LocalPath, Path.Combine(tmp, owner + ".lock"), Path.Combine(tmp, "new.lock") }.Order(StringComparer.Ordinal),
            Directory.GetFiles(tmp).Order(StringComparer.Ordinal));
        await held.CommitAsync(default);
        Assert.True(await store.ExistsAsync(held.Sha256, default));
    }

    [Fact]
    public async Task one_lock_file_guards_all_of_a_stores_staging_until_the_store_is_disposed()
    {
        var stager = Named;
        var staged = new List<StagedBlob>();
        for (var i = 0; i < 20; i++) staged.Add(await stager.StageAsync(new MemoryStream(BitConverter.GetBytes(i)), long.MaxValue, default, flush: false));

        Assert.Single(Locks); // not one per staged file
        Assert.Equal(20, Staging.Length);
        var sweeper = Named; // another process's store: it sweeps when it opens, and again below
        Assert.Equal(0, sweeper.RemoveAbandonedStagingFiles()); // all of them are in progress
        Assert.Equal(20, Staging.Length);

        await staged[0].CommitAsync(default);
        stager.Dispose(); // its process is done: what it left staged is abandoned
        Assert.Empty(Locks);
        Assert.Equal(19, sweeper.RemoveAbandonedStagingFiles());
        Assert.Empty(Staging);
        Assert.True(await stager.ExistsAsync(staged[0].Sha256, default), "the committed one stays");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stager.StageAsync(new MemoryStream([1]), long.MaxValue, default));
    }

    [Fact]
    public async Task uploads_racing_sweeps_keep_every_staged_file()
    {
        var store = Named;
        using var stop = new CancellationTokenSource();
        var sweeping = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                store.RemoveAbandonedStagingFiles();
                await Task.Yield();
            }
        });
        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            await using var staged = await store.StageAsync(new MemoryStream(BitConverter.GetBytes(i)), long.MaxValue, ct);
            Assert.True(File.Exists(staged.LocalPath), $"staging {i} was swept while held");
            await staged.CommitAsync(ct);
        });
        await stop.CancelAsync();
        await sweeping;
        Assert.Empty(Staging);
    }

    public void Dispose() => _root.Dispose();

    /// <summary>A read-only, forward-only stream whose bytes are made as they are read.</summary>
    private abstract class GeneratedStream : Stream
    {
        protected long Produced { get; set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Produced; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Deterministic bytes: a large "file" that never exists in memory.</summary>
    private sealed class PatternStream(long length) : GeneratedStream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Produced);
            for (var i = 0; i < n; i++) buffer[offset + i] = (byte)((Produced + i) * 31 >> 3);
            Produced += n;
            return n;
        }
    }

    /// <summary>An upload whose client goes away after <paramref name="failAfter"/> bytes.</summary>
    private sealed class FailingStream(long failAfter) : GeneratedStream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Produced >= failAfter) throw new IOException("the client went away");
            var n = (int)Math.Min(count, failAfter - Produced + 1);
            RandomNumberGenerator.Fill(buffer.AsSpan(offset, n));
            Produced += n;
            return n;
        }
    }
}
