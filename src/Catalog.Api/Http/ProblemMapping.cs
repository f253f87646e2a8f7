using Catalog.Domain;
using Catalog.Infrastructure.Blobs;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Http;

/// <summary>
/// Turns what a command can fail with into RFC 9457 ProblemDetails with the right status. Every failure
/// here happens before or inside the transaction, so nothing was appended.
/// </summary>
public sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away; nothing to answer
        }

        var (status, title, detail) = Describe(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    public static (int Status, string Title, string Detail) Describe(Exception exception) => exception switch
    {
        DomainException e => (StatusOf(e.Kind), e.Title, e.Message),
        ApiProblem e => (e.Status, e.Title, e.Message),
        BlobTooLargeException e => (StatusCodes.Status413PayloadTooLarge, "Payload too large", e.Message),
        BadHttpRequestException e => (e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request", e.Message),
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException =>
            (StatusCodes.Status409Conflict, "Concurrent change",
             "Another change to the same stream was saved first; nothing was appended. Read the current state and retry."),
        DocumentAlreadyExistsException =>
            (StatusCodes.Status409Conflict, "Conflict", "A live asset of this kind already has that filename; nothing was appended."),
        ExistingStreamIdCollisionException =>
            (StatusCodes.Status409Conflict, "Conflict", "A stream with that id already exists; nothing was appended."),
        System.Text.Json.JsonException e => (StatusCodes.Status400BadRequest, "Bad request", $"The JSON body could not be read: {e.Message}"),
        _ => (StatusCodes.Status500InternalServerError, "Internal error", "The server failed to handle the request; nothing was appended."),
    };

    private static int StatusOf(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Invalid => StatusCodes.Status400BadRequest,
        DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
        DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
        DomainErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status500InternalServerError,
    };
}
