using Catalog.Api.Http;
using Catalog.Api.Media;
using Catalog.Application.Assets;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace Catalog.Api.Assets;

/// <summary>
/// Registering an asset: a multipart upload with the file in <c>file</c> and the seed's columns as text fields
/// (<c>filename</c> — defaults to the uploaded file's name —, <c>production_id</c>, <c>created_at</c> and the kind's
/// metadata; the columns the bytes can say — <c>size</c>, <c>duration</c>, <c>resolution</c>, <c>fps</c>, <c>sample_rate</c> —
/// are read from the file when left out, as <c>import-fs</c> reads them). The bytes are streamed into the blob store's staging area as they arrive; the registration handler makes
/// them durable and only then appends the <c>*.registered</c> event that names them; its thumbnail and preview are then made in the
/// background (<see cref="MakeRenditions"/>).
/// </summary>
public static class RegisterAssetEndpoint
{
    public static async Task<Created<AssetDetail<TMetadata>>> Post<TMetadata>(HttpRequest request, IBlobStore blobs, CatalogSettings settings,
        MediaProbe probe, IMessageBus bus, [AsParameters] CommandServices command)
        where TMetadata : IAssetMetadata
    {
        await using var form = await UploadForm.ReadAsync(request, blobs, settings.MaxUploadBytes, command.Ct);
        var registration = ReadCommand<TMetadata>(form.File, form.UploadedFileName, form.Fields);
        registration = registration with
        {
            Metadata = await MetadataFromBytes.ReadAsync(probe, form.File!, registration.Content.MimeType, registration.Metadata, command.Ct),
        };

        var id = await AssetCommands.HandleAsync(command.Session, registration, form.File!, command.Caller, command.Clock, command.Ct);
        await bus.PublishAsync(new MakeRenditions(registration.Content.Sha256, registration.Content.MimeType));
        return TypedResults.Created(AssetDetails.Location(TMetadata.Kind, id), (await AssetDetails.LoadAsync<TMetadata>(command.Session, id, command.Ct))!);
    }

    /// <summary>The registration an uploaded file and its form fields make (the fields are taken out of <paramref name="fields"/>).</summary>
    public static RegisterAsset<TMetadata> ReadCommand<TMetadata>(StagedBlob? uploaded, string? uploadedFileName, Dictionary<string, string> fields)
        where TMetadata : IAssetMetadata
    {
        var kind = AssetKinds.Of<TMetadata>();
        var file = uploaded ?? throw ApiProblem.BadRequest($"The upload has no file: send it in the multipart field '{UploadForm.FileField}'.");
        if (file.Length == 0) throw ApiProblem.BadRequest("The file is empty.");
        var mimeType = MediaTypes.Detect(file.Head.Span) ?? throw ApiProblem.UnsupportedMediaType(
            "The file is not in a recognised image, video or audio format (PNG, JPEG, GIF, WebP, AVIF, HEIC, MP4, MOV, WebM, MKV, WAV, AIFF, MP3, AAC, FLAC, Ogg, M4A …).");
        // A movie container holding sound only (an audio WebM, an M4A with an MP4 brand) is audio when sent as audio.
        if (kind.Kind == AssetKind.Audio && MediaProbe.SoundOnlyAs(file, mimeType) is { } sound) mimeType = sound;
        if (!mimeType.StartsWith(kind.MimePrefix, StringComparison.Ordinal))
            throw ApiProblem.UnsupportedMediaType($"The file is {mimeType}{(kind.Kind == AssetKind.Audio && MediaTypes.SoundOnlyForm(mimeType) is not null ? " with a picture track" : "")}; /api/{kind.Table} takes {kind.MimePrefix}* files.");

        var filename = (fields.Remove("filename", out var given) && given.Length > 0 ? given : uploadedFileName) ?? "";
        var productionId = fields.Remove("production_id", out var production) && production.Length > 0 ? production : null;
        var createdAt = fields.Remove("created_at", out var created) ? ApiProblem.OrBadRequest(() => SeedTimestamps.Parse(created, "created_at")) : null;

        var metadata = MetadataValues.FromForm<TMetadata>(fields);
        if (fields.Count > 0)
            throw ApiProblem.BadRequest($"Unknown field(s): {string.Join(", ", fields.Keys)}.");

        return new RegisterAsset<TMetadata>(filename, productionId, metadata, new StoredContent(file.Sha256, file.Length, mimeType), createdAt);
    }
}
