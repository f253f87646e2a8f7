using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Catalog.Infrastructure.Access;

/// <summary>What a key may do; each role includes the ones before it.</summary>
public enum ApiKeyRole
{
    /// <summary>Browse, search, history, media, exports' status and files.</summary>
    Read,

    /// <summary>Every command: productions, assets, exports.</summary>
    Write,

    /// <summary>Purge, rebuild, imports and the keys themselves.</summary>
    Admin,
}

/// <summary>One key as it is kept: never the key itself, only its SHA-256.</summary>
/// <param name="Name">Unique among the keys not revoked; the actor recorded for what the key does.</param>
/// <param name="ActsForOthers">The key may name the actor in <c>X-Actor</c> (a front end acting for its users); the key's name is recorded beside it.</param>
/// <param name="Source"><c>first-start</c>, <c>setting</c> (Catalog:AdminKey), <c>cli</c> or <c>api</c>.</param>
public sealed record ApiKey(
    string Name, ApiKeyRole Role, bool ActsForOthers, string Sha256, DateTimeOffset CreatedAt, string CreatedBy, string Source,
    DateTimeOffset? RevokedAt = null, string? RevokedBy = null)
{
    [JsonIgnore]
    public bool Revoked => RevokedAt is not null;
}

public enum ApiKeyProblem
{
    /// <summary>A name, a role or a configured key that is not one.</summary>
    Invalid,

    /// <summary>A key of that name exists (and is not revoked).</summary>
    Exists,

    /// <summary>No key of that name that is not revoked.</summary>
    Missing,
}

/// <summary>A name, a role or a key the store refuses, in words for the person who gave it.</summary>
public sealed class ApiKeyException(string message, ApiKeyProblem problem = ApiKeyProblem.Invalid) : Exception(message)
{
    public ApiKeyProblem Problem { get; } = problem;
}

/// <summary>
/// The API keys, in <c>{DataDirectory}/api-keys.json</c> (mode 0600): name, role and SHA-256 of each key, never the key.
/// The service and the CLI share the file — the CLI is the operator on the same machine — so a key made or revoked by
/// either counts at the other's next request: every check looks whether the file changed (one <c>stat</c>) and reads it
/// again when it did. Changes are made under a lock file and written whole under a temporary name, then renamed.
/// A key is 32 random bytes (<c>cat_</c> + base64url); checking one hashes it and compares it with every stored hash in
/// constant time.
/// </summary>
public sealed partial class ApiKeyStore
{
    public const string FileName = "api-keys.json";
    private const string Prefix = "cat_";

    /// <summary>The shortest key the setting Catalog:AdminKey may hold (a key is stored hashed, so it must be hard to guess).</summary>
    public const int MinimumKeyLength = 24;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter<ApiKeyRole>(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Generated at compile time: the installed CLI, compiled ahead of time, has no reflection-made serializers.
        TypeInfoResolver = KeyFileJson.Default,
    };

    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private (DateTime WrittenAt, long Length) _seen = (DateTime.MinValue, -1);
    private IReadOnlyList<ApiKey> _keys = [];

    public ApiKeyStore(string dataDirectory, TimeProvider clock)
    {
        _clock = clock;
        FilePath = Path.Combine(Path.GetFullPath(dataDirectory), FileName);
    }

    public string FilePath { get; }

    /// <summary>Whether keys were ever made here (the file exists, even if every key in it is revoked).</summary>
    public bool Exists => File.Exists(FilePath);

    /// <summary>Every key, revoked ones too, oldest first.</summary>
    public IReadOnlyList<ApiKey> List() => Current();

    /// <summary>The key that <paramref name="presented"/> is, when it is one and not revoked.</summary>
    public ApiKey? Authenticate(string presented)
    {
        if (presented.Length is 0 or > 512) return null;
        var hash = Hash(presented);
        ApiKey? found = null;
        foreach (var key in Current())
        {
            // Every stored hash is compared, each in constant time: how long this takes says nothing of the key.
            if (CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(key.Sha256)) && !key.Revoked) found = key;
        }
        return found;
    }

    /// <summary>Makes a key; returns it with the secret, which is shown this once and kept nowhere.</summary>
    public (ApiKey Key, string Secret) Add(string name, ApiKeyRole role, bool actsForOthers, string by, string source)
    {
        RequireName(name);
        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        ApiKey made = null!;
        Change(keys =>
        {
            if (keys.Any(k => k.Name == name && !k.Revoked))
                throw new ApiKeyException($"A key named '{name}' exists; revoke it first or choose another name.", ApiKeyProblem.Exists);
            made = new ApiKey(name, role, actsForOthers, Convert.ToHexStringLower(Hash(secret)), _clock.GetUtcNow(), by, source);
            return [.. keys, made];
        });
        return (made, secret);
    }

    /// <summary>Revokes the key of this name: refused from the next request on, kept in the list as revoked.</summary>
    public ApiKey Revoke(string name, string by)
    {
        ApiKey revoked = null!;
        Change(keys =>
        {
            var key = keys.FirstOrDefault(k => k.Name == name && !k.Revoked)
                      ?? throw new ApiKeyException($"There is no key named '{name}' that is not revoked.", ApiKeyProblem.Missing);
            revoked = key with { RevokedAt = _clock.GetUtcNow(), RevokedBy = by };
            return keys.Select(k => ReferenceEquals(k, key) ? revoked : k).ToList();
        });
        return revoked;
    }

    /// <summary>
    /// What a service does at start. With <paramref name="configuredAdminKey"/> (Catalog:AdminKey) that key is an admin key
    /// named <c>admin</c>, stored hashed; a different one set later replaces it (the one before is revoked). Without it, on
    /// the very first start (no key file), an admin key is made. Returns a key made now, to show once; else null.
    /// </summary>
    public string? Provision(string? configuredAdminKey, string by)
    {
        if (!string.IsNullOrEmpty(configuredAdminKey))
        {
            if (configuredAdminKey.Length < MinimumKeyLength || configuredAdminKey.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                throw new ApiKeyException(
                    $"Catalog:AdminKey must be at least {MinimumKeyLength} characters without spaces; make one with: openssl rand -base64 32");
            var hash = Convert.ToHexStringLower(Hash(configuredAdminKey));
            Change(keys =>
            {
                if (keys.Any(k => k.Sha256 == hash && !k.Revoked)) return keys;
                var now = _clock.GetUtcNow();
                var kept = keys.Select(k => k.Source == "setting" && !k.Revoked ? k with { RevokedAt = now, RevokedBy = "Catalog:AdminKey changed" } : k).ToList();
                var name = kept.Any(k => k.Name == "admin" && !k.Revoked) ? "admin-setting" : "admin";
                return [.. kept, new ApiKey(name, ApiKeyRole.Admin, false, hash, now, by, "setting")];
            });
            return null;
        }

        string? secret = null;
        Change(keys =>
        {
            if (keys.Count > 0) return keys; // keys were made here before (revoked ones stay listed): not a first start
            secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
            return [new ApiKey("admin", ApiKeyRole.Admin, false, Convert.ToHexStringLower(Hash(secret)), _clock.GetUtcNow(), by, "first-start")];
        });
        return secret;
    }

    public static ApiKeyRole ParseRole(string role) => role.Trim().ToLowerInvariant() switch
    {
        "read" => ApiKeyRole.Read,
        "write" => ApiKeyRole.Write,
        "admin" => ApiKeyRole.Admin,
        _ => throw new ApiKeyException($"'{role}' is not a role: read, write or admin."),
    };

    public static void RequireName(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw new ApiKeyException($"'{name}' is not a key name: 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or a digit.");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex NamePattern();

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The keys as the file holds them now: read again when it changed since the last look.</summary>
    private IReadOnlyList<ApiKey> Current()
    {
        var info = new FileInfo(FilePath);
        var stamp = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
        lock (_gate)
        {
            if (stamp == _seen) return _keys;
            _keys = info.Exists ? Read() : [];
            _seen = stamp;
            return _keys;
        }
    }

    private IReadOnlyList<ApiKey> Read()
    {
        try
        {
            return JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(FilePath), Json)?.Keys ?? [];
        }
        catch (JsonException e)
        {
            throw new ApiKeyException($"{FilePath} is not a key file ({e.Message}); restore it or move it away and make keys again.");
        }
    }

    /// <summary>Reads, changes and writes the file whole, under the lock file (so the service and the CLI never lose each other's change).</summary>
    private void Change(Func<IReadOnlyList<ApiKey>, IReadOnlyList<ApiKey>> change)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        using var held = Lock();
        var before = File.Exists(FilePath) ? Read() : [];
        var after = change(before);
        if (ReferenceEquals(after, before)) return;

        var temporary = FilePath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            JsonSerializer.Serialize(file, new KeyFile(after), Json);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, FilePath, overwrite: true);
        FileSystem.SyncDirectory(Path.GetDirectoryName(FilePath)!);
    }

    private FileStream Lock()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(FilePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(25); // another process is changing the keys
            }
        }
    }

    private sealed record KeyFile(IReadOnlyList<ApiKey> Keys);

    [JsonSerializable(typeof(KeyFile))]
    private sealed partial class KeyFileJson : JsonSerializerContext;
}
