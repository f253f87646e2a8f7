using System.Diagnostics;

namespace Catalog.Infrastructure.Database;

/// <summary>The PostgreSQL server programs (initdb, pg_ctl, postgres) found on this machine.</summary>
public sealed record PostgresBinaries(string Directory)
{
    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>
    /// The configured folder when one is configured (and nothing else: a wrong setting is reported, not
    /// silently bypassed); otherwise <c>pg_config --bindir</c>, then the Debian layout
    /// (<c>/usr/lib/postgresql/*/bin</c>, newest first), then the PATH. Null when none has all three programs.
    /// </summary>
    public static PostgresBinaries? Find(string? configuredDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuredDirectory))
            return IsComplete(configuredDirectory) ? new PostgresBinaries(Path.GetFullPath(configuredDirectory)) : null;

        foreach (var candidate in Candidates())
        {
            if (IsComplete(candidate)) return new PostgresBinaries(Path.GetFullPath(candidate));
        }
        return null;
    }

    private static IEnumerable<string> Candidates()
    {
        var fromPgConfig = PgConfigBinDir();
        if (fromPgConfig is not null) yield return fromPgConfig;

        foreach (var root in new[] { "/usr/lib/postgresql", "/usr/local/pgsql", "/opt/homebrew/opt" })
        {
            if (!System.IO.Directory.Exists(root)) continue;
            var versions = System.IO.Directory.GetDirectories(root)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0);
            foreach (var version in versions) yield return Path.Combine(version, "bin");
            yield return Path.Combine(root, "bin");
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)) yield return dir;
    }

    private static bool IsComplete(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) &&
        File.Exists(Path.Combine(dir, "pg_ctl")) &&
        File.Exists(Path.Combine(dir, "postgres"));

    private static string? PgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not installed
        }
    }
}
