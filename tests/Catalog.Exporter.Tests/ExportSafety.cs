using Catalog.Domain.Assets;
using Catalog.Infrastructure;
using Catalog.Testing;

namespace Catalog.Exporter.Tests;

public sealed class ExportSafety(CatalogFixture fixture) : CatalogTest(fixture)
{
    private string[] Partials() => Directory.GetFileSystemEntries(Out.Path, "*.partial", SearchOption.AllDirectories);

    [Fact]
    public async Task a_failed_export_leaves_the_existing_file_untouched_and_nothing_else()
    {
        var image = await Image("a.png");
        await ExportAsync(new ExportOptions(Out["assets.db"]));
        var before = await File.ReadAllBytesAsync(Out["assets.db"]);

        var video = await Video("lost.mp4");
        File.Delete(Catalog.Blobs.PathOf(TestMedia.Sha256(TestMedia.Mp4())));
        var error = await Assert.ThrowsAsync<ExportFailedException>(() => ExportAsync(new ExportOptions(Out["assets.db"])));

        Assert.Contains("missing from the blob store", error.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(Out["assets.db"]));
        Assert.Empty(Partials());
        Assert.True(image > 0 && video > 0);
    }

    /// <summary>
    /// A failure after the export has begun flushing its file in the background (every 16 MiB): the flush in flight is
    /// waited for, the file is thrown away, the old export stays.
    /// </summary>
    [Fact]
    public async Task a_failure_while_the_file_is_being_flushed_in_the_background_leaves_nothing()
    {
        await Image("a.png");
        await ExportAsync(new ExportOptions(Out["assets.db"]));
        var before = await File.ReadAllBytesAsync(Out["assets.db"]);
        const long size = 40L * 1024 * 1024;
        await Catalog.RegisterAsync(new VideoMetadata("final", null, 60, "1080p", 24, null, null, null), new LargeVideoStream(size), "video/mp4", "long.mp4");
        await Audio("lost.wav"); // audio is written after videos: 40 MiB are in the file when it fails
        File.Delete(Catalog.Blobs.PathOf(TestMedia.Sha256(TestMedia.Wav())));

        var written = 0L;
        var progress = new SyncProgress(p => written = p.Bytes);
        var error = await Assert.ThrowsAsync<ExportFailedException>(() => ExportAsync(new ExportOptions(Out["assets.db"]), progress));

        Assert.Contains("lost.wav", error.Message);
        Assert.True(written >= size, $"only {written:N0} bytes were written before the failure");
        Assert.Equal(before, await File.ReadAllBytesAsync(Out["assets.db"]));
        Assert.Empty(Partials());
    }

    [Fact]
    public async Task a_cancelled_export_leaves_the_existing_file_untouched_and_nothing_else()
    {
        await Image("a.png");
        await ExportAsync(new ExportOptions(Out["assets.db"]));
        var before = await File.ReadAllBytesAsync(Out["assets.db"]);
        for (var i = 0; i < 3; i++) await Video($"v{i}.mp4");

        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Bytes > 0) cancel.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ExportAsync(new ExportOptions(Out["assets.db"]), progress, cancel.Token));

        Assert.Equal(before, await File.ReadAllBytesAsync(Out["assets.db"]));
        Assert.Empty(Partials());
    }

    [Fact]
    public async Task a_binary_over_sqlites_limit_goes_beside_the_database_and_is_listed()
    {
        var small = await Image("small.png");
        var large = await Video("large.mp4");

        var summary = await ExportAsync(new ExportOptions(Out["assets.db"], SqliteLengthLimit: TestMedia.Mp4().Length / 2));

        Assert.Equal(["videos/large.mp4"], summary.Beside);
        using (var db = OpenRead(Out["assets.db"]))
        {
            Assert.Null(Scalar(db, $"select binary_data from videos where id = {large}"));
            Assert.Equal(TestMedia.Sha256(TestMedia.Png()), ExportingTheCatalog.Sha(db, "images", small));
        }
        Assert.Equal(TestMedia.Mp4(), await File.ReadAllBytesAsync(Out["data/videos/large.mp4"]));
        Assert.True((await VerifyAsync(Out["assets.db"])).Ok);
    }

    [Fact]
    public async Task strict_makes_a_binary_over_the_limit_a_failure()
    {
        await Video("large.mp4");
        var error = await Assert.ThrowsAsync<ExportFailedException>(() =>
            ExportAsync(new ExportOptions(Out["assets.db"], Strict: true, SqliteLengthLimit: TestMedia.Mp4().Length / 2)));
        Assert.Contains("large.mp4", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Out.Path));
    }

    [Fact]
    public async Task max_inline_bytes_sends_larger_binaries_beside()
    {
        var small = await Image("small.png");
        var large = await Video("large.mp4");

        var summary = await ExportAsync(new ExportOptions(Out["assets.db"], MaxInlineBytes: TestMedia.Png().Length));

        Assert.Equal(["videos/large.mp4"], summary.Beside);
        using (var db = OpenRead(Out["assets.db"]))
        {
            Assert.Null(Scalar(db, $"select binary_data from videos where id = {large}"));
            Assert.Equal(TestMedia.Sha256(TestMedia.Png()), ExportingTheCatalog.Sha(db, "images", small));
        }
        Assert.True((await VerifyAsync(Out["assets.db"])).Ok);
    }

    /// <summary>
    /// The .NET side never holds a binary: it streams from the blob store into SQLite in 1 MiB pieces.
    /// (SQLite itself assembles each row once in native memory; see ExportOptions.MaxInlineBytes.)
    /// </summary>
    [Fact]
    public async Task a_64_mib_binary_is_streamed_not_held_in_managed_memory()
    {
        // A real MP4 and a 64 MiB free box: 64 MiB through the blob store, never in an array.
        const long size = 64L * 1024 * 1024;
        var id = await Catalog.RegisterAsync(new VideoMetadata("final", null, 60, "1080p", 24, null, null, null), new LargeVideoStream(size), "video/mp4", "long.mp4");

        var allocated = await Allocations.OfAsync(() => ExportAsync(new ExportOptions(Out["assets.db"])));

        Assert.True(allocated < 24 * 1024 * 1024, $"exporting 64 MiB allocated {allocated:N0} bytes on the export's thread");
        using var db = OpenRead(Out["assets.db"]);
        Assert.Equal(LargeVideoStream.Sha256(size), ExportingTheCatalog.Sha(db, "videos", id));
    }

    private sealed class SyncProgress(Action<WorkProgress> report) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => report(value);
    }

    private sealed class LargeVideoStream(long length) : Stream
    {
        private static readonly byte[] Head = TestMedia.Mp4();
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        /// <summary>A real MP4, then one top-level 'free' box holding the rest: a whole ISO-BMFF file of any length.</summary>
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            var free = (uint)(length - Head.Length);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[offset + i] = at < Head.Length ? Head[at]
                    : at < Head.Length + 4 ? (byte)(free >> (8 * (3 - (int)(at - Head.Length))))
                    : at < Head.Length + 8 ? (byte)"free"[(int)(at - Head.Length - 4)]
                    : (byte)(at * 131 >> 5);
            }
            _position += n;
            return n;
        }

        /// <summary>The SHA-256 of the bytes a stream of this length gives, computed apart from the blob store.</summary>
        public static string Sha256(long length)
        {
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var stream = new LargeVideoStream(length);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) hash.AppendData(buffer, 0, read);
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
