namespace Catalog.Domain.Assets;

/// <summary>
/// The bytes of an asset as the blob store holds them: addressed by their SHA-256 (lower-case hex),
/// with their length and the MIME type read from their first bytes. Events carry this, never the bytes.
/// </summary>
public sealed record StoredContent(string Sha256, long ByteSize, string MimeType);
