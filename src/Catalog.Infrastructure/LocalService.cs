using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Catalog.Infrastructure;

/// <summary>
/// How the CLI on this machine finds the running service and proves it is the machine's operator: the service writes
/// <c>{DataDirectory}/service.json</c> once it listens — its process id, where it listens, and a token made at its start —
/// readable by the service's own user only, and removes it when it stops. Whoever can read it could already use the
/// catalog's database and blob store directly (they sit in the same folder); the token lets them ask the service for what
/// only the operator may: a folder of this machine imported (<c>catalog import-fs</c> handed over, warm).
/// </summary>
/// <param name="Pid">The service's process.</param>
/// <param name="Urls">Where it listens, as this machine reaches it (a wildcard address as the loopback one).</param>
/// <param name="OperatorToken">Made at the service's start; good until it stops.</param>
public sealed record LocalService(int Pid, IReadOnlyList<string> Urls, string OperatorToken)
{
    public const string FileName = "service.json";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>A token for one run of the service.</summary>
    public static string NewToken() => "op_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>Writes the file whole (a temporary file renamed), readable and writable by this user only.</summary>
    public void Write(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = PathIn(dataDirectory);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            JsonSerializer.Serialize(file, this, LocalServiceJson.Default.LocalService);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the file when it is this process's (a newer service's file is left alone).</summary>
    public static void Remove(string dataDirectory, int pid)
    {
        if (Read(dataDirectory) is { } there && there.Pid == pid) File.Delete(PathIn(dataDirectory));
    }

    /// <summary>The file's service, or null when there is no file or this user cannot read it; a process that is gone is null too.</summary>
    public static LocalService? Find(string dataDirectory) => Read(dataDirectory) is { } service && IsRunning(service.Pid) ? service : null;

    private static LocalService? Read(string dataDirectory)
    {
        try
        {
            using var file = File.OpenRead(PathIn(dataDirectory));
            return JsonSerializer.Deserialize(file, LocalServiceJson.Default.LocalService) is { OperatorToken.Length: > 0 } service ? service : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LocalService))]
internal sealed partial class LocalServiceJson : JsonSerializerContext;
