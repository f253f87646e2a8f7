namespace Catalog.Api.Http;

/// <summary>Request bodies an endpoint reads itself: a JSON document kept as sent.</summary>
public static class JsonBodies
{
    /// <summary>The body as text, when it is <c>application/json</c> (415 otherwise) and at most <paramref name="maxBytes"/> (413 above).</summary>
    public static async Task<string> ReadDocumentAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            throw ApiProblem.UnsupportedMediaType("Send the document as application/json.");
        if (request.ContentLength > maxBytes)
            throw ApiProblem.TooLarge($"The document is larger than {maxBytes:N0} bytes.");

        using var reader = new StreamReader(request.Body);
        var buffer = new char[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += read;
        if (length > maxBytes)
            throw ApiProblem.TooLarge($"The document is larger than {maxBytes:N0} characters.");
        return new string(buffer, 0, length);
    }
}
