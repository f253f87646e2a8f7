using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Catalog.Cli;

/// <summary>
/// The installed CLI is two builds of this program (see Catalog.Cli.csproj): <c>catalog</c>, compiled ahead of time (Native
/// AOT), which starts in a few milliseconds and runs what reads the catalog (export, verify, keys); and <c>store/catalog</c>
/// beside it (ReadyToRun), for what needs Marten's store, which generates and compiles code at run time: the imports,
/// rebuild, purge, an export or verify as of an instant, and applying a schema another build left. The first hands such a
/// command to the second with <c>execv</c>: the same process, arguments, environment and terminal, before it has done
/// anything. <c>dotnet run</c> and the tests run the ordinary build, which does everything itself.
/// </summary>
internal static partial class StoreTwin
{
    /// <summary>This process cannot build Marten's store (it was compiled ahead of time).</summary>
    public static bool Needed => !RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>Replaces this process by the twin, with this process's arguments (and <paramref name="more"/>); returns only when that failed (exit 2).</summary>
    public static int Exec(CliConsole console, string[]? more = null)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "store", "catalog");
        if (!File.Exists(path))
        {
            console.Error($"This command needs Marten's store, which the ahead-of-time build cannot run, and {path} is missing: " +
                          "publish the CLI again (dotnet publish src/Catalog.Cli -o DIR makes both).");
            return 2;
        }
        string?[] argv = [path, .. Environment.GetCommandLineArgs().Skip(1), .. more ?? [], null];
        execv(path, argv);
        console.Error($"Could not run {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        return 2;
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int execv(string path, string?[] argv);
}
