using Catalog.Infrastructure.Blobs;
using Catalog.Testing;

namespace Catalog.Infrastructure.Tests;

public sealed class SharedBlobHandlesTests : IDisposable
{
    private readonly TempDirectory _root = new("catalog-shared-handles-");

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_root.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] ReadAll(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void readers_of_one_file_share_its_handle_and_each_reads_all_of_it()
    {
        using var handles = new SharedBlobHandles();
        var bytes = TestMedia.NoisyPng(300, 200, seed: 3);
        var path = Write("a", bytes);

        using var first = handles.Open(path)!;
        using var second = handles.Open(path)!;
        Assert.Equal(1, handles.Count);
        var head = new byte[100];
        first.ReadExactly(head);
        Assert.Equal(bytes[..100], head);
        Assert.Equal(bytes, ReadAll(second)); // its own position
        Assert.Equal(bytes[100..], ReadAll(first));
        Assert.Null(handles.Open(Path.Combine(_root.Path, "missing")));
    }

    [Fact]
    public void a_forgotten_handle_closes_after_its_last_reader_and_the_deleted_file_is_not_served_again()
    {
        using var handles = new SharedBlobHandles();
        var bytes = TestMedia.Png(seed: 4);
        var path = Write("b", bytes);
        var reading = handles.Open(path)!;

        File.Delete(path);
        handles.Forget(path);
        Assert.Equal(0, handles.Count);
        Assert.Equal(bytes, ReadAll(reading)); // a reader that had begun finishes with every byte
        reading.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reading.ReadByte());
        Assert.Null(handles.Open(path));
    }

    [Fact]
    public void no_more_than_the_capacity_are_kept_open_and_the_rest_are_read_on_handles_of_their_own()
    {
        var paths = Enumerable.Range(0, SharedBlobHandles.Capacity + 20).Select(i => Write($"f{i}", TestMedia.Png(seed: i))).ToList();
        using var handles = new SharedBlobHandles(); // idle for 10 s before any is closed: far longer than this test
        foreach (var (path, i) in paths.Select((p, i) => (p, i)))
        {
            using var stream = handles.Open(path)!;
            Assert.Equal(TestMedia.Png(seed: i), ReadAll(stream));
        }
        Assert.Equal(SharedBlobHandles.Capacity, handles.Count);
    }

    [Fact]
    public async Task handles_nobody_reads_are_closed()
    {
        var paths = Enumerable.Range(0, 3).Select(i => Write($"g{i}", TestMedia.Png(seed: i))).ToList();
        using var handles = new SharedBlobHandles(idleTime: TimeSpan.FromMilliseconds(100));
        foreach (var path in paths) handles.Open(path)!.Dispose();
        Assert.InRange(handles.Count, 1, 3);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (handles.Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, handles.Count);
        using var again = handles.Open(paths[0])!;
        Assert.Equal(TestMedia.Png(seed: 0), ReadAll(again));
    }

    [Fact]
    public async Task a_blob_store_forgets_a_deleted_blobs_handle_and_serves_it_again_once_stored_again()
    {
        using var store = new FileSystemBlobStore(_root.Path);
        var bytes = TestMedia.Png(seed: 5);
        var sha256 = TestMedia.Sha256(bytes);
        await using (var staged = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default)) await staged.CommitAsync(default);

        await using (var served = (await store.OpenForServingAsync(sha256, default))!) Assert.Equal(bytes, ReadAll(served));
        await store.DeleteAsync(sha256, default);
        Assert.Null(await store.OpenForServingAsync(sha256, default));

        await using (var staged = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, default)) await staged.CommitAsync(default);
        await using var again = (await store.OpenForServingAsync(sha256, default))!;
        Assert.Equal(bytes, ReadAll(again));
    }

    public void Dispose() => _root.Dispose();
}
