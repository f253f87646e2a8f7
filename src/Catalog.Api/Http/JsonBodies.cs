using System.Text;

namespace Catalog.Api.Http;

/// <summary>Request bodies an endpoint reads itself: a JSON document kept as sent.</summary>
public static class JsonBodies
{
    /// <summary>
    /// The body as text, when it is <c>application/json</c> (415 otherwise) and at most <paramref name="maxBytes"/> (413
    /// above). Memory follows the body's size: a small document costs a small buffer, whatever the limit.
    /// </summary>
    public static async Task<string> ReadDocumentAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            throw ApiProblem.UnsupportedMediaType("Send the document as application/json.");
        if (request.ContentLength > maxBytes)
            throw ApiProblem.TooLarge($"The document is larger than {maxBytes:N0} bytes.");

        // Sized by what arrives (a declared length is a hint, capped), never by the limit.
        using var bytes = new MemoryStream((int)Math.Min(request.ContentLength ?? 1024, 64 * 1024));
        var buffer = new byte[Math.Min(16 * 1024, maxBytes + 1)];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (bytes.Length + read > maxBytes) throw ApiProblem.TooLarge($"The document is larger than {maxBytes:N0} bytes.");
            bytes.Write(buffer, 0, read);
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
        }
        catch (DecoderFallbackException)
        {
            throw ApiProblem.BadRequest("The document is not valid UTF-8.");
        }
    }
}
