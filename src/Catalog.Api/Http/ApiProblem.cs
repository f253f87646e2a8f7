namespace Catalog.Api.Http;

/// <summary>A request the HTTP layer refuses before any decision (a malformed upload, a missing file, a wrong media type).</summary>
public sealed class ApiProblem(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;

    public static ApiProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);
    public static ApiProblem Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);
    public static ApiProblem TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Payload too large", detail);
    public static ApiProblem UnsupportedMediaType(string detail) => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);

    /// <summary>Too much of this work is already waiting or running: 429, and when to try again.</summary>
    public static ApiProblem TooMany(string detail, int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, "Too many requests", detail) { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>A value read from the request's text; a <see cref="FormatException"/> (which names what is wrong) becomes a 400.</summary>
    public static T OrBadRequest<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (FormatException e)
        {
            throw BadRequest(e.Message.EndsWith('.') ? e.Message : e.Message + ".");
        }
    }

    /// <summary>405: the methods the resource takes, sent as <c>Allow</c>.</summary>
    public static ApiProblem MethodNotAllowed(string detail, string allow) =>
        new(StatusCodes.Status405MethodNotAllowed, "Method not allowed", detail) { Allow = allow };

    /// <summary>Sent as <c>Allow</c> with the problem.</summary>
    public string? Allow { get; init; }

    /// <summary>Sent as <c>Retry-After</c> with the problem.</summary>
    public int? RetryAfterSeconds { get; init; }
}
