using Catalog.Api.Http;
using Catalog.Api.Jobs;
using Catalog.Domain;
using Catalog.Infrastructure;
using Marten;
using Microsoft.Net.Http.Headers;

namespace Catalog.Api.Exporting;

/// <summary>An export's state, the latest exports, and the finished file.</summary>
public static class GetExportEndpoints
{
    public static async Task<ExportJob> Get(string id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ExportJob>(id, ct) ?? throw DomainException.NotFound($"There is no export '{id}'.");

    public static Task<IReadOnlyList<ExportJob>> List(IQuerySession session, CancellationToken ct) =>
        session.Query<ExportJob>().OrderByDescending(x => x.RequestedAt).Take(50).ToListAsync(ct);

    /// <summary>The finished file, streamed (Range requests answered with 206), ETag = its sha256.</summary>
    public static async Task<IResult> File(string id, IQuerySession session, CatalogSettings settings, CancellationToken ct)
    {
        var job = await session.LoadAsync<ExportJob>(id, ct) ?? throw DomainException.NotFound($"There is no export '{id}'.");
        switch (job.Status)
        {
            case JobStatus.Expired:
                throw new ApiProblem(StatusCodes.Status410Gone, "Gone", $"Export '{id}' finished at {job.FinishedAt:O}; its file was removed at {job.ExpiresAt:O}.");
            case JobStatus.Failed:
                throw DomainException.Conflict($"Export '{id}' failed: {job.Error}");
            case not JobStatus.Completed:
                throw DomainException.Conflict($"Export '{id}' is {job.Status} ({job.Progress?.Percent ?? 0:0.#}%); ask again when it is completed.");
        }
        var path = ExportFiles.PathOf(settings, job);
        if (!System.IO.File.Exists(path))
            throw new ApiProblem(StatusCodes.Status410Gone, "Gone", $"The file of export '{id}' is no longer there.");
        return Results.File(path, ExportFiles.ContentType(job), $"assets-{job.Id}{Path.GetExtension(path)}",
            lastModified: job.FinishedAt, entityTag: new EntityTagHeaderValue($"\"{job.Sha256}\""), enableRangeProcessing: true);
    }
}

/// <summary>Where an export's files live: {data}/exports/{id}/.</summary>
public static class ExportFiles
{
    public static string DirectoryOf(CatalogSettings settings, string id) => Path.Combine(settings.DataDirectory, "exports", id);

    public static string PathOf(CatalogSettings settings, ExportJob job) => Path.Combine(DirectoryOf(settings, job.Id), job.FileName ?? "assets.db");

    /// <summary>A tar when the export has files beside its database (hybrid, or binaries over the inline limit); else the SQLite file.</summary>
    public static string ContentType(ExportJob job) =>
        job.FileName?.EndsWith(".tar", StringComparison.Ordinal) == true ? "application/x-tar" : "application/vnd.sqlite3";
}
