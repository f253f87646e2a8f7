
namespace Catalog.Api.Http;

/// <summary>Every ProblemDetails says what went wrong: answers the framework makes itself (no route, a wrong method or body type) get a detail too.</summary>
public static class Problems
{
    public static void FillIn(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail)) return;
        var request = context.HttpContext.Request;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status404NotFound => $"There is no endpoint {request.Method} {request.Path}; the API is described at /swagger.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}; the API is described at /swagger.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"This endpoint does not take a body of type '{request.ContentType ?? "(none)"}'; the API at /swagger says which it takes (JSON commands take application/json).",
            StatusCodes.Status400BadRequest => "The request could not be read; the API at /swagger says what each endpoint takes.",
            _ => problem.Title ?? "The request failed.",
        };
    }
}
