using System.Globalization;
using Catalog.Api.Hosting;
using Catalog.Application.Assets;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Domain;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Catalog.Infrastructure;
using Catalog.Projections;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Assets;

/// <summary>
/// Registering an asset: a multipart upload with the file in <c>file</c> and the seed's columns as text
/// fields (<c>filename</c> — defaults to the uploaded file's name —, <c>production_id</c>, <c>created_at</c>
/// and the kind's metadata). The bytes are streamed into the blob store and made durable before the
/// <c>*.registered</c> event that names them is appended.
/// </summary>
public static class RegisterAssetEndpoint
{
    [WolverinePost("/api/images"), Tags("Images"), EndpointSummary("Register an image (multipart upload)")]
    [UploadForm(typeof(ImageMetadata))]
    [ProducesResponseType<ImageResponse>(StatusCodes.Status201Created)]
    [ProducesUploadProblems]
    public static Task<IResult> PostImage(HttpRequest request, IDocumentSession session, IBlobStore blobs,
        CatalogSettings settings, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Register<ImageMetadata>(request, session, blobs, settings, caller, clock, ct);

    [WolverinePost("/api/videos"), Tags("Videos"), EndpointSummary("Register a video clip (multipart upload)")]
    [UploadForm(typeof(VideoMetadata))]
    [ProducesResponseType<VideoResponse>(StatusCodes.Status201Created)]
    [ProducesUploadProblems]
    public static Task<IResult> PostVideo(HttpRequest request, IDocumentSession session, IBlobStore blobs,
        CatalogSettings settings, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Register<VideoMetadata>(request, session, blobs, settings, caller, clock, ct);

    [WolverinePost("/api/audio"), Tags("Audio"), EndpointSummary("Register an audio track (multipart upload)")]
    [UploadForm(typeof(AudioMetadata))]
    [ProducesResponseType<AudioResponse>(StatusCodes.Status201Created)]
    [ProducesUploadProblems]
    public static Task<IResult> PostAudio(HttpRequest request, IDocumentSession session, IBlobStore blobs,
        CatalogSettings settings, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct) =>
        Register<AudioMetadata>(request, session, blobs, settings, caller, clock, ct);

    private static async Task<IResult> Register<TMetadata>(HttpRequest request, IDocumentSession session, IBlobStore blobs,
        CatalogSettings settings, Caller caller, TimeProvider clock, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        await using var form = await UploadForm.ReadAsync(request, blobs, settings.MaxUploadBytes, ct);
        var command = ReadCommand<TMetadata>(form);

        var id = await AssetRegistration.RegisterAsync(session, command, form.File!, caller.Actor, clock.GetUtcNow(), ct);
        await session.SaveChangesAsync(ct);

        return Results.Created(AssetResponses.Location(TMetadata.Kind, id), await AssetResponses.LoadAsync<TMetadata>(session, id, ct));
    }

    private static RegisterAsset<TMetadata> ReadCommand<TMetadata>(UploadForm form) where TMetadata : IAssetMetadata
    {
        var file = form.File ?? throw ApiProblem.BadRequest($"The upload has no file: send it in the multipart field '{UploadForm.FileField}'.");
        if (file.Length == 0) throw ApiProblem.BadRequest("The file is empty.");
        var mimeType = MediaTypes.Detect(file.Head.Span) ?? throw ApiProblem.UnsupportedMediaType(
            "The file is not in a recognised image, video or audio format (PNG, JPEG, GIF, WebP, MP4, MOV, WebM, WAV, MP3, FLAC, Ogg, M4A …).");
        if (!mimeType.StartsWith(TMetadata.MimePrefix, StringComparison.Ordinal))
            throw ApiProblem.UnsupportedMediaType(
                $"The file is {mimeType}; /api/{TMetadata.Kind.Table()} takes {TMetadata.MimePrefix}* files.");

        var fields = form.Fields;
        var filename = (fields.Remove("filename", out var given) && given.Length > 0 ? given : form.UploadedFileName) ?? "";
        var productionId = fields.Remove("production_id", out var production) && production.Length > 0 ? production : null;
        DateTimeOffset? createdAt = null;
        if (fields.Remove("created_at", out var created) && created.Length > 0)
        {
            if (!DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                throw ApiProblem.BadRequest($"created_at '{created}' is not an ISO-8601 timestamp.");
            createdAt = parsed.ToUniversalTime();
        }

        var metadata = MetadataFields.FromForm<TMetadata>(fields);
        if (fields.Count > 0)
            throw ApiProblem.BadRequest($"Unknown field(s): {string.Join(", ", fields.Keys)}.");

        return new RegisterAsset<TMetadata>(filename, productionId, metadata,
            new StoredContent(file.Sha256, file.Length, mimeType), createdAt);
    }
}
