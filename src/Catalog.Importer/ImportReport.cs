namespace Catalog.Importer;

/// <summary>What happened to one file, row or production of an import.</summary>
public enum ImportOutcome
{
    /// <summary>Registered (or, for a production, created): new events appended.</summary>
    Registered,
    /// <summary>Already in the catalog with the same bytes (or the same id, for a production): nothing appended.</summary>
    Skipped,
    /// <summary>The name is taken in the catalog by different bytes (or a deleted production): left alone.</summary>
    Conflict,
    /// <summary>Not an image, video or audio format the catalog knows (or not a production JSON).</summary>
    Unrecognised,
    /// <summary>Refused: empty, damaged, an invalid name or value, a symlink leaving the root, an error.</summary>
    Failed,
}

/// <param name="Item">The file (relative to the root) or the row (<c>images #12</c>).</param>
/// <param name="Label">What the line is: the outcome (<c>conflict</c>, <c>unrecognised</c>, <c>failed</c>), or a note on
/// something imported (<c>not linked</c>, <c>new id</c>).</param>
public sealed record ImportEntry(string Item, string Label, string Message);

/// <summary>
/// An import's account: a line for every file, row or production that was not simply registered or skipped,
/// the counts, and the bytes and time it took. <see cref="Ok"/> is false when anything was left out.
/// Safe to add to from several workers at once.
/// </summary>
public sealed class ImportReport
{
    private readonly Lock _gate = new();
    private readonly List<ImportEntry> _entries = [];
    private readonly Dictionary<ImportOutcome, int> _counts = Enum.GetValues<ImportOutcome>().ToDictionary(o => o, _ => 0);

    public IReadOnlyList<ImportEntry> Entries => _entries;

    /// <summary>Files, rows and production documents by outcome (productions created or skipped are counted apart).</summary>
    public IReadOnlyDictionary<ImportOutcome, int> Counts => _counts;

    public int ProductionsCreated { get; private set; }
    public int ProductionsSkipped { get; private set; }

    /// <summary>Assets put into a production by the import (registered into it, or moved into it on a later run).</summary>
    public int Linked { get; private set; }

    /// <summary>References a production made that matched nothing (storyboard filenames, clip ids, a missing production).</summary>
    public int NotLinked { get; private set; }

    /// <summary>Assets whose id in the source was taken here, registered under a new id (import-db).</summary>
    public int Renumbered { get; private set; }

    public int SourcesDeleted { get; private set; }

    /// <summary>Files and folders an operating system writes beside media (<c>.DS_Store</c>, <c>._*</c>, <c>Thumbs.db</c>, …), passed over.</summary>
    public int SystemFilesLeftOut { get; private set; }

    /// <summary>The bytes of the assets registered.</summary>
    public long Bytes { get; private set; }

    /// <summary>The bytes read (registered, skipped after hashing, refused after reading).</summary>
    public long BytesRead { get; private set; }

    public double Seconds { get; set; }

    public double MegabytesPerSecond => Seconds > 0 ? BytesRead / 1048576.0 / Seconds : 0;

    /// <summary>Nothing left out: every file or row is in the catalog now, every production too.</summary>
    public bool Ok => _counts[ImportOutcome.Conflict] == 0 && _counts[ImportOutcome.Unrecognised] == 0 && _counts[ImportOutcome.Failed] == 0;

    public event Action<ImportEntry>? Reported;

    public void Item(string item, ImportOutcome outcome, string? message = null)
    {
        lock (_gate)
        {
            _counts[outcome]++;
            if (message is not null) Note(new ImportEntry(item, Label(outcome), message));
        }
    }

    public void Production(string item, ImportOutcome outcome, string? message = null)
    {
        lock (_gate)
        {
            if (outcome == ImportOutcome.Registered) ProductionsCreated++;
            else if (outcome == ImportOutcome.Skipped) ProductionsSkipped++;
            else _counts[outcome]++;
            if (message is not null) Note(new ImportEntry(item, Label(outcome), message));
        }
    }

    public void Unlinked(string item, string message)
    {
        lock (_gate)
        {
            NotLinked++;
            Note(new ImportEntry(item, "not linked", message));
        }
    }

    public void NewId(string item, string message)
    {
        lock (_gate)
        {
            Renumbered++;
            Note(new ImportEntry(item, "new id", message));
        }
    }

    public void Read(long bytes)
    {
        lock (_gate) BytesRead += bytes;
    }

    public void Registered(long bytes, bool linked)
    {
        lock (_gate)
        {
            Bytes += bytes;
            if (linked) Linked++;
        }
    }

    public void LinkedLater()
    {
        lock (_gate) Linked++;
    }

    public void SystemFileLeftOut()
    {
        lock (_gate) SystemFilesLeftOut++;
    }

    public void SourceDeleted()
    {
        lock (_gate) SourcesDeleted++;
    }

    private static string Label(ImportOutcome outcome) => outcome.ToString().ToLowerInvariant();

    private void Note(ImportEntry entry)
    {
        _entries.Add(entry);
        Reported?.Invoke(entry);
    }
}

/// <summary>An import's account as the API answers it and the CLI prints it (the imports' jobs, a folder imported by the service).</summary>
/// <param name="Ok">Everything in the file or folder is in the catalog now.</param>
/// <param name="Entries">A line per file, row or production that was not simply imported (the first 1,000).</param>
public sealed record ImportSummary(
    bool Ok, int Registered, int Skipped, int Conflicts, int Unrecognised, int Failed, int Linked, int NotLinked,
    int ProductionsCreated, int ProductionsSkipped, int Renumbered, long Bytes, double Seconds,
    IReadOnlyList<ImportEntry> Entries, int EntriesLeftOut, long BytesRead = 0, int SystemFilesLeftOut = 0, int SourcesDeleted = 0)
{
    private const int MaxEntries = 1_000;

    public double MegabytesPerSecond => Seconds > 0 ? BytesRead / 1048576.0 / Seconds : 0;

    public static ImportSummary From(ImportReport r) => new(
        r.Ok, r.Counts[ImportOutcome.Registered], r.Counts[ImportOutcome.Skipped], r.Counts[ImportOutcome.Conflict],
        r.Counts[ImportOutcome.Unrecognised], r.Counts[ImportOutcome.Failed], r.Linked, r.NotLinked, r.ProductionsCreated,
        r.ProductionsSkipped, r.Renumbered, r.Bytes, Math.Round(r.Seconds, 3),
        r.Entries.Take(MaxEntries).ToList(), Math.Max(0, r.Entries.Count - MaxEntries), r.BytesRead, r.SystemFilesLeftOut, r.SourcesDeleted);
}
