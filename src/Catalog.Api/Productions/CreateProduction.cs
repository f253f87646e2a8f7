using System.Security.Cryptography;
using Catalog.Api.Hosting;
using Catalog.Domain;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Productions;

/// <param name="Id">Optional: an existing TEXT id such as <c>prod_…</c>; the service makes one when absent.</param>
public sealed record CreateProductionRequest(string? Id, string? Title, string? Artist);

public static class CreateProductionEndpoint
{
    [WolverinePost("/api/productions"), Tags("Productions"), EndpointSummary("Create a production (status draft)")]
    [ProducesResponseType<ProductionView>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public static async Task<IResult> Post(
        CreateProductionRequest request, IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct)
    {
        var id = string.IsNullOrWhiteSpace(request.Id) ? NewId() : request.Id.Trim();
        var stream = await session.Events.FetchForWriting<Production>(StreamKeys.Production(id), ct);

        stream.AppendOne(ProductionDecisions.Create(
            stream.Aggregate, new CreateProduction(id, request.Title, request.Artist), caller.Actor, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);

        var view = await session.LoadAsync<ProductionView>(id, ct);
        return Results.Created(ProductionLinks.Location(id), view!);
    }

    /// <summary><c>prod_</c> and 16 random base-32 characters.</summary>
    private static string NewId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return "prod_" + string.Create(16, bytes.ToArray(), (chars, b) =>
        {
            for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[b[i] % alphabet.Length];
        });
    }
}
