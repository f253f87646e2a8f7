using System.Security.Cryptography;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Application.Productions;

/// <summary>
/// The handlers of a production's commands, one per command, for every way in: stamp who and why, load (and lock where
/// the outcome depends on it), decide with the domain's pure rules, append once. A refused command appends nothing.
/// Deleting and restoring (with the production's assets) are in <c>DeletingAndRestoring.cs</c>.
/// </summary>
public static partial class ProductionCommands
{
    /// <summary>Creates the production; returns its id.</summary>
    public static async Task<string> HandleAsync(IDocumentSession session, CreateProduction command, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        caller.Stamp(session);
        ProductionDecisions.RequireValidId(command.ProductionId);
        var stream = await session.Events.FetchForWriting<Production>(Production.StreamKey(command.ProductionId), ct);
        stream.AppendOne(ProductionDecisions.Create(stream.Aggregate, command, caller.Actor, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return command.ProductionId;
    }

    /// <summary>
    /// A production from outside, as it was there. An import is idempotent: a live production of that id is left as it is
    /// (false); one in the trash or purged is a conflict.
    /// </summary>
    /// <returns>True when the production was created.</returns>
    public static async Task<bool> HandleAsync(IDocumentSession session, ImportProduction command, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        if (!await DecideAsync(session, command, caller, clock, ct)) return false;
        await session.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// <see cref="HandleAsync(IDocumentSession, ImportProduction, Caller, TimeProvider, CancellationToken)"/> without the
    /// commit: the event is queued in the session, which an import commits once for many productions.
    /// </summary>
    /// <returns>True when the production is to be created (its event queued); false when it is live already.</returns>
    public static async Task<bool> DecideAsync(IDocumentSession session, ImportProduction command, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        caller.Stamp(session);
        ProductionDecisions.RequireValidId(command.ProductionId);
        var stream = await session.Events.FetchForWriting<Production>(Production.StreamKey(command.ProductionId), ct);
        if (stream.Aggregate is { IsDeleted: false }) return false;
        stream.AppendOne(ProductionDecisions.Import(stream.Aggregate, command, caller.Actor, clock.GetUtcNow()));
        return true;
    }

    public static Task HandleAsync(IDocumentSession session, ChangeProductionDetails command, Caller caller, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(session, command.ProductionId, command.ExpectedVersion, caller, ct,
            state => ProductionDecisions.ChangeDetails(state, command, caller.Actor, clock.GetUtcNow()));

    /// <summary>With an audio id, the track's filename and duration come from that audio asset (422 when there is none).</summary>
    public static async Task HandleAsync(IDocumentSession session, AttachProductionAudio command, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        if (command.AudioId is { } audioId)
        {
            var audio = await session.LoadAsync<AssetView<AudioMetadata>>(audioId, ct)
                        ?? throw DomainException.Unprocessable($"Audio {audioId} does not exist.");
            command = command with { AudioFilename = audio.Filename, AudioDuration = command.AudioDuration ?? audio.Metadata.Duration };
        }
        await ChangeAsync(session, command.ProductionId, command.ExpectedVersion, caller, ct,
            state => ProductionDecisions.AttachAudio(state, command, caller.Actor, clock.GetUtcNow()));
    }

    public static Task HandleAsync(IDocumentSession session, ReplaceStoryboard command, Caller caller, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(session, command.ProductionId, command.ExpectedVersion, caller, ct,
            state => ProductionDecisions.ReplaceStoryboard(state, command, caller.Actor, clock.GetUtcNow()));

    public static Task HandleAsync(IDocumentSession session, ReplaceSettings command, Caller caller, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(session, command.ProductionId, command.ExpectedVersion, caller, ct,
            state => ProductionDecisions.ReplaceSettings(state, command, caller.Actor, clock.GetUtcNow()));

    public static Task HandleAsync(IDocumentSession session, ChangeProductionStatus command, Caller caller, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(session, command.ProductionId, command.ExpectedVersion, caller, ct,
            state => ProductionDecisions.ChangeStatus(state, command, caller.Actor, clock.GetUtcNow()));

    /// <summary>A fresh TEXT id in the seed's style: <c>prod_</c> and 16 random base-32 characters.</summary>
    public static string NewId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[16];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[bytes[i] % alphabet.Length];
        return "prod_" + new string(chars);
    }

    /// <summary>The shape of every change to one existing production: load, check the version, decide, append.</summary>
    private static async Task ChangeAsync(IDocumentSession session, string productionId, long? expectedVersion, Caller caller,
        CancellationToken ct, Func<Production?, object> decide)
    {
        caller.Stamp(session);
        var stream = await Streams.ProductionAsync(session, productionId, expectedVersion, ct);
        stream.AppendOne(decide(stream.Aggregate));
        await session.SaveChangesAsync(ct);
    }
}
