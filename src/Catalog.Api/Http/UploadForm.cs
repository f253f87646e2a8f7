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
        StagedBlob? file = null;
        string? uploadedName = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await ReadPartsAsync(request, maxFileBytes + FormOverheadBytes, async (name, fileName, body) =>
            {
                if (file is not null) throw ApiProblem.BadRequest("Send one file per upload.");
                RequireFileField(name);
                uploadedName = fileName;
                file = await blobs.StageAsync(body, maxFileBytes, ct);
            }, (name, value) =>
            {
                if (fields.Count >= MaxFields) throw ApiProblem.BadRequest("The upload has too many fields.");
                if (!fields.TryAdd(name, value)) throw ApiProblem.BadRequest($"The field '{name}' appears twice.");
            }, ct);
            return new UploadForm(file, uploadedName, fields);
        }
        catch
        {
            if (file is not null) await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A form of many files (a batch upload), read in order: each text field applies to every file after it until it is given
    /// again (an empty value clears it); each file is staged — not yet flushed: its group's commit flushes them together — and
    /// handed to <paramref name="onFile"/> with the fields in force, which owns it from then on. The whole body is at most
    /// <paramref name="maxBodyBytes"/>, and holds at most <paramref name="maxFiles"/> files.
    /// </summary>
    public static async Task ReadEachFileAsync(HttpRequest request, IBlobStore blobs, long maxBodyBytes, int maxFiles,
        Func<StagedBlob, string?, Dictionary<string, string>, Task> onFile, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = 0;
        await ReadPartsAsync(request, maxBodyBytes + FormOverheadBytes, async (name, fileName, body) =>
        {
            RequireFileField(name);
            if (++files > maxFiles) throw ApiProblem.BadRequest($"Send at most {maxFiles:N0} files in one batch.");
            await onFile(await blobs.StageAsync(body, maxBodyBytes, ct, flush: false), fileName, new Dictionary<string, string>(fields, StringComparer.Ordinal));
        }, (name, value) =>
        {
            if (value.Length == 0) fields.Remove(name);
            else if (fields.ContainsKey(name) || fields.Count < MaxFields) fields[name] = value;
            else throw ApiProblem.BadRequest("The upload has too many fields.");
        }, ct);
        if (files == 0) throw ApiProblem.BadRequest($"The upload has no file: send each in a multipart field '{FileField}'.");
    }

    private static void RequireFileField(string name)
    {
        if (name != FileField) throw ApiProblem.BadRequest($"Send the file in the field '{FileField}', not '{name}'.");
    }

    /// <summary>The form reader's buffer: a file part's bytes come out of it at most this many at a time (its default, 4 KiB, cut
    /// a 55 MB batch into ~14,000 pieces; BENCHMARKS.md, "Uploads beside the import").</summary>
    private const int FormBufferBytes = 64 * 1024;

    /// <summary>
    /// The form's parts in order, streamed: each file part's name, file name (path stripped) and body to
    /// <paramref name="onFile"/>, each text field to <paramref name="onField"/>. A malformed or cut-short body is a 400.
    /// </summary>
    private static async Task ReadPartsAsync(HttpRequest request, long maxBodyBytes, Func<string, string?, Stream, Task> onFile,
        Action<string, string> onField, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) ||
            !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw ApiProblem.UnsupportedMediaType("Upload the file as multipart/form-data, with the file in the field 'file'.");
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            throw ApiProblem.BadRequest("The multipart/form-data content type has no boundary.");

        if (request.ContentLength > maxBodyBytes)
            throw ApiProblem.TooLarge($"The upload is larger than the limit of {maxBodyBytes - FormOverheadBytes:N0} bytes.");
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = maxBodyBytes;

        try
        {
            var reader = new MultipartReader(boundary, request.Body, FormBufferBytes);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                    !disposition.IsFormDisposition())
                    throw ApiProblem.BadRequest("Every part of the upload needs a Content-Disposition: form-data header.");

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    var fileName = Path.GetFileName(HeaderUtilities.RemoveQuotes(
                        disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);
                    await onFile(name, fileName, section.Body);
                }
                else onField(name, await ReadFieldAsync(section.Body, name, ct));
            }
        }
        catch (InvalidDataException e)
        {
            throw ApiProblem.BadRequest($"The multipart body is malformed: {e.Message}");
        }
        // The body ended before the closing boundary (a client that stopped, a form cut short) — unless the
        // request itself is refused (too large) or the disk is full: those keep their own answers.
        catch (IOException e) when (e is not BadHttpRequestException && !Outages.IsDiskFull(e) && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw ApiProblem.BadRequest("The multipart body ended before its closing boundary; nothing was kept. Send the whole form.");
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
