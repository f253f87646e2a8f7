using System.Security.Cryptography;
using Catalog.Api.Http;
using Catalog.Api.Jobs;
using Catalog.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace Catalog.Api.Importing;

/// <summary>The message that runs an import in the background (<see cref="RunImportHandler"/>).</summary>
public sealed record RunImport(string ImportId);

public static class StartImportEndpoint
{
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();
    public static readonly string[] ContentTypes = ["application/octet-stream", "application/vnd.sqlite3", "application/x-sqlite3"];

    /// <summary>
    /// The request body is the assets.db itself (<c>curl --data-binary @assets.db -H 'Content-Type: application/octet-stream'</c>),
    /// streamed to the data folder; the import then runs in the background like <c>catalog import-db</c>.
    /// </summary>
    public static async Task<Accepted<ImportJob>> Post(HttpRequest request, IMessageBus bus, CatalogSettings settings, [AsParameters] CommandServices command)
    {
        var ct = command.Ct;
        var active = await command.Session.Query<ImportJob>().CountAsync(x => x.Status == JobStatus.Queued || x.Status == JobStatus.Running, ct);
        if (active >= settings.MaxActiveImports)
            throw ApiProblem.TooMany($"{active} imports are waiting or running (Catalog:MaxActiveImports is {settings.MaxActiveImports}); send the file again when one has finished.", 30);
        var contentType = request.ContentType?.Split(';')[0].Trim();
        if (contentType is null || !ContentTypes.Contains(contentType, StringComparer.OrdinalIgnoreCase))
            throw ApiProblem.UnsupportedMediaType($"Send the assets.db as the request body with Content-Type: {string.Join(" or ", ContentTypes)}.");
        if (request.ContentLength > settings.MaxUploadBytes)
            throw ApiProblem.TooLarge($"The file is larger than the limit of {settings.MaxUploadBytes:N0} bytes (Catalog:MaxUploadBytes).");
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = settings.MaxUploadBytes;

        var id = $"imp_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var directory = ImportJob.DirectoryOf(settings, id);
        Directory.CreateDirectory(directory);
        try
        {
            var (size, sha256) = await ReceiveAsync(request.Body, Path.Combine(directory, ".upload.partial"), settings.MaxUploadBytes, ct);
            File.Move(Path.Combine(directory, ".upload.partial"), ImportJob.FileOf(settings, id));

            var job = new ImportJob(id, JobStatus.Queued, size, sha256, command.Caller.Actor, command.Clock.GetUtcNow(), Node: BackgroundJobs.ThisNode);
            command.Session.Store(job);
            await command.Session.SaveChangesAsync(ct);
            await bus.PublishAsync(new RunImport(id));
            return TypedResults.Accepted(job.Url, job);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The body to a file, 1 MiB at a time, hashed and counted on the way; refused unless it starts as a SQLite database.</summary>
    private static async Task<(long Size, string Sha256)> ReceiveAsync(Stream body, string path, long maxBytes, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        var buffer = new byte[1 << 20];
        var head = new byte[SqliteHeader.Length];
        long size = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (size < head.Length)
            {
                var take = (int)Math.Min(read, head.Length - size);
                buffer.AsSpan(0, take).CopyTo(head.AsSpan((int)size));
                if (!head.AsSpan(0, (int)size + take).SequenceEqual(SqliteHeader.AsSpan(0, (int)size + take)))
                    throw ApiProblem.UnsupportedMediaType("The body is not a SQLite database (an assets.db starts with 'SQLite format 3').");
            }
            size += read;
            if (size > maxBytes) throw ApiProblem.TooLarge($"The file is larger than the limit of {maxBytes:N0} bytes (Catalog:MaxUploadBytes).");
            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        if (size < SqliteHeader.Length) throw ApiProblem.BadRequest("The body is empty or too short to be an assets.db.");
        await file.FlushAsync(ct);
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
