using Catalog.Infrastructure.Blobs;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Catalog.Api.Http;

/// <summary>
/// A multipart/form-data upload read as a stream, section by section: the one file section goes straight
/// into the blob store's staging area (hashed on the way, never held in memory), the text fields into a
/// dictionary. Disposing discards the staged bytes unless they were committed.
/// </summary>
public sealed class UploadForm : IAsyncDisposable
{
    public const string FileField = "file";
    private const int MaxFieldLength = 64 * 1024;
    private const int MaxFields = 64;
    /// <summary>Room for the multipart boundaries and text fields around the file.</summary>
    private const long FormOverheadBytes = 1024 * 1024;

    private UploadForm(StagedBlob? file, string? uploadedFileName, Dictionary<string, string> fields)
    {
        File = file;
        UploadedFileName = uploadedFileName;
        Fields = fields;
    }

    public StagedBlob? File { get; }

    /// <summary>The file name the client sent with the file part (path stripped).</summary>
    public string? UploadedFileName { get; }

    public Dictionary<string, string> Fields { get; }

    public static async Task<UploadForm> ReadAsync(HttpRequest request, IBlobStore blobs, long maxFileBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) ||
            !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw ApiProblem.UnsupportedMediaType("Upload the file as multipart/form-data, with the file in the field 'file'.");
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            throw ApiProblem.BadRequest("The multipart/form-data content type has no boundary.");

        var limit = maxFileBytes + FormOverheadBytes;
        if (request.ContentLength > limit)
            throw ApiProblem.TooLarge($"The upload is larger than the limit of {maxFileBytes:N0} bytes.");
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = limit;

        StagedBlob? file = null;
        string? uploadedName = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                    !disposition.IsFormDisposition())
                    throw ApiProblem.BadRequest("Every part of the upload needs a Content-Disposition: form-data header.");

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    if (file is not null) throw ApiProblem.BadRequest("Send one file per upload.");
                    if (name != FileField) throw ApiProblem.BadRequest($"Send the file in the field '{FileField}', not '{name}'.");
                    uploadedName = Path.GetFileName(HeaderUtilities.RemoveQuotes(
                        disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);
                    file = await blobs.StageAsync(section.Body, maxFileBytes, ct);
                }
                else
                {
                    if (fields.Count >= MaxFields) throw ApiProblem.BadRequest("The upload has too many fields.");
                    if (!fields.TryAdd(name, await ReadFieldAsync(section.Body, name, ct)))
                        throw ApiProblem.BadRequest($"The field '{name}' appears twice.");
                }
            }
            return new UploadForm(file, uploadedName, fields);
        }
        catch (Exception e)
        {
            if (file is not null) await file.DisposeAsync();
            if (e is InvalidDataException) throw ApiProblem.BadRequest($"The multipart body is malformed: {e.Message}");
            // The body ended before the closing boundary (a client that stopped, a form cut short) — unless the
            // request itself is refused (too large) or the disk is full: those keep their own answers.
            if (e is IOException and not BadHttpRequestException && !Outages.IsDiskFull(e) && !request.HttpContext.RequestAborted.IsCancellationRequested)
                throw ApiProblem.BadRequest("The multipart body ended before its closing boundary; nothing was kept. Send the whole form.");
            throw;
        }
    }

    private static async Task<string> ReadFieldAsync(Stream body, string name, CancellationToken ct)
    {
        using var reader = new StreamReader(body);
        var buffer = new char[MaxFieldLength + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += read;
        if (length > MaxFieldLength) throw ApiProblem.BadRequest($"The field '{name}' is longer than {MaxFieldLength:N0} characters.");
        return new string(buffer, 0, length);
    }

    public async ValueTask DisposeAsync()
    {
        if (File is not null) await File.DisposeAsync();
    }
}

file static class DispositionExtensions
{
    public static bool IsFormDisposition(this ContentDispositionHeaderValue d) =>
        d.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase);

    public static bool IsFileDisposition(this ContentDispositionHeaderValue d) =>
        !StringSegment.IsNullOrEmpty(d.FileName) || !StringSegment.IsNullOrEmpty(d.FileNameStar);
}
