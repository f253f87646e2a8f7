using System.Text.Json;
using System.Text.RegularExpressions;
using Catalog.Domain;
using Catalog.Infrastructure.Blobs;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Catalog.Api.Http;

/// <summary>
/// Turns what a request can fail with into RFC 9457 ProblemDetails with the right status and a detail that says what to
/// fix — in the API's words (field names as the JSON has them), never .NET's. Every failure here happens before or
/// inside the transaction, so nothing was appended.
/// </summary>
public sealed partial class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    /// <summary>How long a client should wait before trying again when the database is unreachable.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away; nothing to answer
        }

        var (status, title, detail) = Describe(exception, context);
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning("The database is unreachable for {Method} {Path}: {Error}", context.Request.Method, context.Request.Path, exception.Message);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        }
        else if (exception is ApiProblem { RetryAfterSeconds: { } retry })
        {
            context.Response.Headers.RetryAfter = retry.ToString();
        }
        else if (exception is ApiProblem { Allow: { } allow })
        {
            context.Response.Headers.Allow = allow;
        }
        else if (status >= 500)
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

    public static (int Status, string Title, string Detail) Describe(Exception exception, HttpContext? context = null) => exception switch
    {
        DomainException e => (StatusOf(e.Kind), e.Title, e.Message),
        ApiProblem e => (e.Status, e.Title, e.Message),
        BlobTooLargeException e => (StatusCodes.Status413PayloadTooLarge, "Payload too large", e.Message),
        BadHttpRequestException e => (e.StatusCode, e.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => "Payload too large",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
            _ => "Bad request",
        }, Reword(e, context)),
        JsonException e => (StatusCodes.Status400BadRequest, "Bad request", Reword(e, context)),
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException =>
            (StatusCodes.Status409Conflict, "Concurrent change",
             "Another change to the same stream was saved first; nothing was appended. Read the current state and retry."),
        DocumentAlreadyExistsException =>
            (StatusCodes.Status409Conflict, "Conflict", "A live asset of this kind already has that filename; nothing was appended."),
        ExistingStreamIdCollisionException =>
            (StatusCodes.Status409Conflict, "Conflict", "A stream with that id already exists; nothing was appended."),
        _ when Outages.IsDiskFull(exception) =>
            (StatusCodes.Status507InsufficientStorage, "Insufficient storage",
             "The catalog's storage is full; nothing was kept of this request. Free space (or purge the trash) and retry."),
        _ when Outages.IsDatabaseUnreachable(exception) =>
            (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
             $"The catalog's database cannot be reached; nothing was changed. Retry in {RetryAfterSeconds} seconds."),
        _ when Outages.Find<PostgresException>(exception) is { SqlState: "22021" or "22P05" } =>
            (StatusCodes.Status400BadRequest, "Bad request", "Text may not contain the NUL character (U+0000); nothing was changed."),
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

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]+) (?<name>\w+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    /// <summary>ASP.NET Core's words for a request it could not bind, in the API's.</summary>
    private static string Reword(BadHttpRequestException e, HttpContext? context)
    {
        if (e.InnerException is JsonException json) return Reword(json, context);
        if (BindFailure().Match(e.Message) is { Success: true } bind)
        {
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(bind.Groups["name"].Value);
            var type = bind.Groups["type"].Value.TrimEnd('?');
            var expected = type switch
            {
                "int" or "long" => "an integer",
                "double" => "a number",
                "bool" => "true or false",
                "DateTimeOffset" => "an ISO-8601 timestamp (e.g. 2026-11-20T12:00:00Z)",
                _ => "a valid value",
            };
            return $"{name} must be {expected}, not '{bind.Groups["value"].Value}'.";
        }
        if (e.StatusCode == StatusCodes.Status415UnsupportedMediaType) return "Send the body as application/json.";
        if (e.Message.Contains("was not provided from body", StringComparison.Ordinal) || e.Message.Contains("no body was provided", StringComparison.Ordinal))
            return "The request needs a JSON body.";
        if (e.StatusCode == StatusCodes.Status413PayloadTooLarge) return "The request body is larger than this endpoint takes.";
        return e.Message;
    }

    /// <summary>A JSON body that could not be read: where, and why, in the API's field names.</summary>
    private static string Reword(JsonException e, HttpContext? context)
    {
        var field = e.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : null;
        if (e.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var known = KnownFields(context);
            return $"Unknown field '{field}'{(known is null ? "" : $"; the body takes: {known}")}. Nothing was changed.";
        }
        if (e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) && field is not null)
            return $"The field '{field}' has a value of the wrong type.";
        if (e.Message.Contains("missing required properties", StringComparison.Ordinal))
            return "The JSON body is missing required fields.";
        var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        return $"The body is not valid JSON{where}.";
    }

    /// <summary>The fields of the endpoint's JSON body, as the JSON names them.</summary>
    private static string? KnownFields(HttpContext? context)
    {
        var type = context?.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        return type is null ? null : string.Join(", ", type.GetProperties().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)));
    }
}

/// <summary>Failures that are the environment's, not the request's: the database out of reach, the disk full.</summary>
public static class Outages
{
    /// <summary>The database cannot be reached, or refuses connections for now (a restart, a shutdown, too many clients).</summary>
    public static bool IsDatabaseUnreachable(Exception exception) =>
        Chain(exception).Any(e => e switch
        {
            PostgresException p => p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("08", StringComparison.Ordinal)
                                   || p.SqlState == "53300",
            NpgsqlException n => n.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException || n.IsTransient,
            System.Net.Sockets.SocketException => true,
            _ => false,
        });

    /// <summary>No space left on the device the blob store (or an export) writes to.</summary>
    public static bool IsDiskFull(Exception exception) =>
        Chain(exception).Any(e => e is IOException io && (io.HResult is 28 or 112 or unchecked((int)0x80070070) ||
                                                          io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)));

    public static T? Find<T>(Exception exception) where T : Exception => Chain(exception).OfType<T>().FirstOrDefault();

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
            if (exception is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain)) yield return inner;
        }
    }
}
