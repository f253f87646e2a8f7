using Catalog.Testing;

namespace Catalog.Infrastructure.Tests;

/// <summary>
/// The media files' opens without .NET's advisory lock (<see cref="FileSystem.OpenToRead"/>, <see cref="FileSystem.CreateNew"/>):
/// the same bytes and the same errors as a <see cref="FileStream"/>'s, which the imports report and the stager relies on.
/// </summary>
public sealed class FileSystemTests : IDisposable
{
    private readonly TempDirectory _dir = new("catalog-fs-test-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void a_new_file_is_written_and_read_back_whole()
    {
        var bytes = TestMedia.Png(seed: 3);
        using (var file = FileSystem.CreateNew(_dir["new.png"])) file.Write(bytes);
        using var read = FileSystem.OpenToRead(_dir["new.png"]);
        Assert.Equal(bytes.Length, read.Length);
        using var copy = new MemoryStream();
        read.CopyTo(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public void a_folders_names_count_the_folders_in_it_and_a_missing_path_has_none()
    {
        Directory.CreateDirectory(_dir["ab"]);
        File.WriteAllBytes(_dir["ab/blob"], [1]);
        Assert.Equal(2, FileSystem.LinkCount(_dir["ab"])); // its own name and "."
        Directory.CreateDirectory(_dir["ab/cd"]);
        Assert.Equal(3, FileSystem.LinkCount(_dir["ab"])); // and the ".." of the folder in it
        Assert.Equal(1, FileSystem.LinkCount(_dir["ab/blob"]));
        Assert.Null(FileSystem.LinkCount(_dir["missing"]));
    }

    [Fact]
    public void creating_a_name_that_exists_fails_and_leaves_the_file_alone()
    {
        File.WriteAllBytes(_dir["taken"], [1, 2, 3]);
        var error = Assert.ThrowsAny<IOException>(() => FileSystem.CreateNew(_dir["taken"]));
        Assert.Contains("taken", error.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(_dir["taken"]));
    }

    [Fact]
    public void a_missing_file_is_not_found_and_a_folder_is_not_a_file()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => FileSystem.OpenToRead(_dir["missing.png"]));
        Assert.Equal(_dir["missing.png"], missing.FileName);
        Directory.CreateDirectory(_dir["folder"]);
        var error = Record.Exception(() =>
        {
            using var folder = FileSystem.OpenToRead(_dir["folder"]);
            folder.ReadByte();
        });
        Assert.True(error is IOException or UnauthorizedAccessException, $"a folder read as a file: {error?.GetType().Name ?? "no error"}");
    }
}
