namespace Catalog.Testing;

/// <summary>The repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder with AssetEvents.sln above the test's binaries (the binaries' folder when there is none).</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "AssetEvents.sln"))) return directory.FullName;
        return AppContext.BaseDirectory;
    }
}
