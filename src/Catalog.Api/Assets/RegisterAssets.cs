using Catalog.Api.Http;
using Catalog.Api.Media;
using Catalog.Application.Assets;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Wolverine;

namespace Catalog.Api.Assets;

/// <summary>
/// Registering many assets of one kind in one request (<c>POST /api/{table}/batch</c>), each file answered on its own: a
/// multipart form with up to <see cref="MaxFiles"/> parts named <c>file</c>, each registered under its part's file name. A text
/// field — the single upload's fields but <c>filename</c> — applies to every file after it until it is given again (empty
/// clears it): shared fields first, a file's own just before it. Each file is staged and checked as it arrives, as a single
/// upload checks it (kind and MIME from the bytes, the columns the bytes can say, damage); the accepted ones are then
/// registered in groups of <see cref="GroupSize"/> (<see cref="AssetCommands.RegisterGroupAsync"/>): one flush makes a group's
/// bytes durable while one transaction sends its events, committed once the flush has returned. A refused file never fails its neighbours; a body that is malformed,
/// cut short or too large registers nothing.
/// </summary>
public static class RegisterAssetsEndpoint
{
    public const int MaxFiles = 1000;
    public const int GroupSize = 100;

    public static async Task<Ok<BatchRegistration>> Post<TMetadata>(HttpRequest request, IBlobStore blobs, CatalogSettings settings,
        MediaProbe probe, IMessageBus bus, IDocumentStore store, [AsParameters] CommandServices command)
        where TMetadata : IAssetMetadata
    {
        var answers = new List<BatchFile>();
        var accepted = new List<(int Answer, RegisterAsset<TMetadata> Registration, StagedBlob Blob)>();
        try
        {
            await UploadForm.ReadEachFileAsync(request, blobs, settings.MaxUploadBytes, MaxFiles, async (file, uploadedName, fields) =>
            {
                try
                {
                    if (fields.ContainsKey("filename"))
                        throw ApiProblem.BadRequest("In a batch each file is registered under its part's file name: leave out the field 'filename'.");
                    var registration = RegisterAssetEndpoint.ReadCommand<TMetadata>(file, uploadedName, fields);
                    registration = registration with
                    {
                        Metadata = await MetadataFromBytes.ReadAsync(probe, file, registration.Content.MimeType, registration.Metadata, command.Ct),
                    };
                    accepted.Add((answers.Count, registration, file));
                    answers.Add(new BatchFile(registration.Filename, StatusCodes.Status201Created, null, null, null));
                }
                catch (Exception e) when (e is ApiProblem or DomainException)
                {
                    await file.DisposeAsync();
                    answers.Add(BatchFile.Refused(uploadedName ?? "", e));
                }
            }, command.Ct);

            await RefuseTakenFilenamesAsync(command.Session, accepted, answers, command.Ct);
            var caller = command.Caller;
            var groups = accepted.Chunk(GroupSize).ToList();
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                IReadOnlyList<RegistrationOutcome> outcomes;
                try
                {
                    outcomes = await AssetCommands.RegisterGroupAsync(store, blobs, group.Select(a => new PendingRegistration(TMetadata.Kind, a.Blob, a.Registration.ProductionId,
                        (session, batch, ct) => AssetCommands.DecideAsync(session, a.Registration, a.Blob, caller, command.Clock, ct, batch: batch))).ToList(),
                        caller, command.Ct);
                }
                catch (Exception e) when (!command.Ct.IsCancellationRequested && g > 0)
                {
                    // An outage (database unreachable, disk full) after earlier groups were registered: they stay, and the
                    // answer says which; this group and the rest get the outage's problem, to send again.
                    foreach (var (answer, registration, _) in groups.Skip(g).SelectMany(x => x)) answers[answer] = BatchFile.Refused(registration.Filename, e);
                    break;
                }
                for (var i = 0; i < group.Length; i++)
                {
                    var (answer, registration, _) = group[i];
                    if (outcomes[i].Id is { } id)
                    {
                        answers[answer] = answers[answer] with { Id = id, Location = AssetDetails.Location(TMetadata.Kind, id) };
                        await bus.PublishAsync(new MakeRenditions(registration.Content.Sha256, registration.Content.MimeType));
                    }
                    else answers[answer] = BatchFile.Refused(registration.Filename, outcomes[i].Refusal!);
                }
            }
        }
        finally
        {
            foreach (var (_, _, blob) in accepted) await blob.DisposeAsync(); // a committed blob stays; the others are discarded
        }

        var registered = answers.Count(a => a.Status == StatusCodes.Status201Created);
        return TypedResults.Ok(new BatchRegistration(registered, answers.Count - registered, answers));
    }

    /// <summary>A filename a live asset of the kind holds, or an earlier file of the same request, is a 409 for that file.</summary>
    private static async Task RefuseTakenFilenamesAsync<TMetadata>(IQuerySession session,
        List<(int Answer, RegisterAsset<TMetadata> Registration, StagedBlob Blob)> accepted, List<BatchFile> answers, CancellationToken ct)
        where TMetadata : IAssetMetadata
    {
        if (accepted.Count == 0) return;
        var names = accepted.Select(a => a.Registration.Filename).Distinct(StringComparer.Ordinal).ToArray();
        var taken = (await session.Query<AssetView<TMetadata>>().Where(x => x.Filename.IsOneOf(names)).Select(x => x.Filename).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in accepted.ToList())
        {
            var filename = item.Registration.Filename;
            var conflict = taken.Contains(filename) ? $"The filename '{filename}' is already taken by {AssetKinds.Of<TMetadata>().Article}; nothing was appended."
                : !seen.Add(filename) ? $"The filename '{filename}' appears earlier in this batch; nothing was appended for this file."
                : null;
            if (conflict is null) continue;
            answers[item.Answer] = BatchFile.Refused(filename, DomainException.Conflict(conflict));
            accepted.Remove(item);
            await item.Blob.DisposeAsync();
        }
    }
}

/// <summary>A batch upload's answer: how many files were registered and refused, and each file's own answer, in the order sent.</summary>
public sealed record BatchRegistration(int Registered, int Refused, IReadOnlyList<BatchFile> Files);

/// <summary>
/// One file of a batch: 201 with its id and location, or the status and ProblemDetails a single upload of it would have
/// answered (400, 409, 413, 415, 422).
/// </summary>
public sealed record BatchFile(string Filename, int Status, long? Id, string? Location, ProblemDetails? Problem)
{
    public static BatchFile Refused(string filename, Exception error)
    {
        var (status, title, detail) = ProblemMapping.Describe(error);
        return new BatchFile(filename, status, null, null, new ProblemDetails { Status = status, Title = title, Detail = detail });
    }
}
