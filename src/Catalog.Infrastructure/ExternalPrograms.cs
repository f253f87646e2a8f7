namespace Catalog.Infrastructure;

/// <summary>The programs the catalog may run (ffprobe, ffmpeg) when they are installed.</summary>
public static class ExternalPrograms
{
    /// <summary>The program's path in the first directory of the PATH that has it, or null.</summary>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, program))
        .FirstOrDefault(File.Exists);
}
