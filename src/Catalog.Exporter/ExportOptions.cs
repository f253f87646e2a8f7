namespace Catalog.Exporter;

public enum ExportMode
{
    /// <summary>Every binary in <c>binary_data</c>: one self-contained file (the seed's portable mode).</summary>
    Portable,
    /// <summary><c>binary_data</c> NULL, the files beside the database under <c>data/images|videos|audio/</c> (the seed's hybrid mode).</summary>
    Hybrid,
}

/// <param name="OutputPath">The assets.db to write (replaced atomically if it exists).</param>
/// <param name="ProductionId">Only this production and its assets; null for the whole catalog.</param>
/// <param name="AsOf">The catalog as it was at this instant, rebuilt from the events; null for now.</param>
/// <param name="Strict">Fail instead of writing a binary too large for SQLite beside the database.</param>
/// <param name="SqliteLengthLimit">Lowers SQLite's largest string/BLOB (SQLITE_LIMIT_LENGTH) for this file; for tests.</param>
/// <param name="MaxInlineBytes">
/// Binaries larger than this are written beside the database instead of inline (portable mode). SQLite assembles
/// a row in memory before storing it (the seed puts <c>mime_type</c> after <c>binary_data</c>, so a row cannot be
/// stored in pieces): an inline export's peak memory grows with its largest binary. This bounds it; null = no bound.
/// </param>
public sealed record ExportOptions(
    string OutputPath,
    ExportMode Mode = ExportMode.Portable,
    string? ProductionId = null,
    DateTimeOffset? AsOf = null,
    bool Strict = false,
    int? SqliteLengthLimit = null,
    long? MaxInlineBytes = null);

/// <param name="Rows">Rows written per table.</param>
/// <param name="Bytes">Media bytes written (inline and beside).</param>
/// <param name="Beside">Binaries written beside the database instead of inline because SQLite could not hold them
/// (portable mode; each as <c>table/filename</c>), or every binary in hybrid mode.</param>
/// <param name="Seconds">All of it: <see cref="WriteSeconds"/> + <see cref="CheckSeconds"/> + <see cref="SyncSeconds"/>.</param>
/// <param name="WriteSeconds">Writing the rows and streaming the binaries in.</param>
/// <param name="CheckSeconds">integrity_check and foreign_key_check.</param>
/// <param name="SyncSeconds">What is left of flushing the file to disk once the checks end (the flush starts with them), and renaming it into place.</param>
public sealed record ExportSummary(
    string OutputPath, ExportMode Mode, IReadOnlyDictionary<string, long> Rows, long Bytes, double Seconds,
    IReadOnlyList<string> Beside, double WriteSeconds = 0, double CheckSeconds = 0, double SyncSeconds = 0)
{
    public double MegabytesPerSecond => Seconds > 0 ? Bytes / 1048576.0 / Seconds : 0;
}

/// <summary>An export that cannot be made; the message is for the person who asked for it.</summary>
public sealed class ExportFailedException(string message, Exception? inner = null) : Exception(message, inner);
