using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Http;

/// <summary>
/// What every request must be before any endpoint sees it: a path and query without control characters (text in the
/// catalog never holds them; NUL would reach PostgreSQL), a URL of at most 8 KiB (414) and headers of at most 32 KiB
/// (431) — each refused with a ProblemDetails that says so. Kestrel itself refuses what passes far beyond those limits
/// (<see cref="KestrelLimits"/>), without a body.
/// </summary>
public static class RequestGuards
{
    public const int MaxUrlBytes = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Kestrel's own limits, set above the guards' so the guards answer first, with a body.</summary>
    public static void KestrelLimits(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestLineSize = 4 * MaxUrlBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeaderBytes;
    }

    public static IApplicationBuilder UseRequestGuards(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Problem(context.Request) is not { } refused)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = refused.Status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = refused.Status, Title = refused.Title, Detail = refused.Detail },
        });
    });

    /// <summary>What the guards refuse in <paramref name="request"/>, if anything: its status, title and detail.</summary>
    public static (int Status, string Title, string Detail)? Problem(HttpRequest request)
    {
        var url = request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (url > MaxUrlBytes) return (StatusCodes.Status414UriTooLong, "URI too long", $"The URL is longer than {MaxUrlBytes:N0} bytes.");
        var headers = 0;
        foreach (var (name, values) in request.Headers)
        {
            headers += name.Length + 4;
            foreach (var value in values) headers += value?.Length ?? 0;
        }
        if (headers > MaxHeaderBytes)
            return (StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request header fields too large",
                $"The request's headers are larger than {MaxHeaderBytes:N0} bytes in all.");
        return ControlCharacterIn(request) is { } where
            ? (StatusCodes.Status400BadRequest, "Bad request",
                $"The request's {where} holds a control character; URLs of the catalog never do (encode text, and leave NUL out).")
            : null;
    }

    /// <summary>Where a control character is in the decoded path or query, if anywhere.</summary>
    private static string? ControlCharacterIn(HttpRequest request)
    {
        if (request.Path.Value?.Any(char.IsControl) == true) return "path";
        foreach (var (name, values) in request.Query)
        {
            if (name.Any(char.IsControl)) return "query";
            foreach (var value in values)
                if (value?.Any(char.IsControl) == true) return $"query parameter '{name}'";
        }
        return null;
    }
}
