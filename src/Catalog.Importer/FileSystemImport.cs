using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Catalog.Application;
using Catalog.Application.Assets;
using Catalog.Domain;
using System.Diagnostics;
using System.IO.Enumeration;
using System.Text;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Catalog.Infrastructure;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Importer;

/// <param name="Root">The folder holding <c>data/images|videos|audio|productions</c> (or those folders directly).</param>
/// <param name="DeleteSource">Delete each file once the catalog holds it (its blob read back and its sha256 checked, its event appended).</param>
/// <param name="Types">The <c>*_type</c> the files of a kind get, by kind name (the bytes cannot say it); a kind left out gets its first well-known type.</param>
/// <param name="Parallelism">Files read, hashed, staged and probed at once.</param>
/// <param name="BatchFiles">Files registered together: one transaction and one flush of their bytes (a kill loses at most that batch, which a re-run imports).</param>
/// <param name="BatchBytes">Bytes registered together, about (a larger file goes alone).</param>
/// <param name="CommitsInFlight">Batches being registered at once (a kill loses at most these, which a re-run imports).</param>
public sealed record FileImportOptions(string Root, bool DeleteSource = false, IReadOnlyDictionary<string, string>? Types = null, int Parallelism = 4,
    int BatchFiles = 256, long BatchBytes = 256L * 1024 * 1024, int CommitsInFlight = 2)
{
    public string TypeOf(AssetKind kind) =>
        Types?.GetValueOrDefault(kind.Name()) is { Length: > 0 } type ? type.Trim() : AssetKinds.Of(kind).WellKnownTypes[0];
}

/// <summary>
/// The seed's "Migration Strategy": every file under <c>data/images</c>, <c>data/videos</c> and <c>data/audio</c>
/// registered as an ordinary asset, its kind, MIME type and numbers read from its bytes; the production JSON files
/// created as productions, and the files their storyboards name (by filename or clip id) put into them.
/// </summary>
public static class FileSystemImport
{
    private static readonly string[] MediaFolders = AssetKinds.All.Select(k => k.Table).ToArray();
    private const int MaxDepth = 16;

    private sealed record SourceFile(string Item, string Path, string Name, long Length);

    private sealed record Link(string ProductionId, string? ClipId);

    public static Task<ImportReport> RunAsync(IDocumentStore store, IBlobStore blobs, MediaProbe probe, long maxBytes,
        FileImportOptions options, string actor, IProgress<WorkProgress>? progress, CancellationToken ct, Action<ImportReport>? started = null) =>
        RunAsync(store, blobs, probe, maxBytes, options, actor, progress, ct, started, rehearsal: null);

    /// <summary>
    /// The import of a folder run to the end with nothing kept: every file read, hashed, staged, probed and checked, every
    /// production and registration decided and its rows sent to PostgreSQL in one transaction rolled back at the end
    /// (<see cref="Rehearsal"/>; the files are put into the productions it created, as an import puts them): no id drawn, no
    /// blob committed, no transaction committed, the staged bytes discarded. What the service's start runs over a few
    /// built-in files (<see cref="ImportSamples"/>) so that a user's first import does not wait for its code to be compiled.
    /// </summary>
    /// <returns>What the import would have done (its "registered" ones were decided, not appended).</returns>
    public static async Task<ImportReport> RehearseAsync(IDocumentStore store, IBlobStore blobs, MediaProbe probe, string root, CancellationToken ct)
    {
        await using var rehearsal = await Rehearsal.BeginAsync(store, ct);
        return await RunAsync(store, blobs, probe, long.MaxValue, new FileImportOptions(root), "catalog", null, ct, null, rehearsal);
    }

    private static async Task<ImportReport> RunAsync(IDocumentStore store, IBlobStore blobs, MediaProbe probe, long maxBytes,
        FileImportOptions options, string actor, IProgress<WorkProgress>? progress, CancellationToken ct, Action<ImportReport>? started, Rehearsal? rehearsal)
    {
        var watch = Stopwatch.StartNew();
        foreach (var kind in AssetKinds.All)
        {
            var type = options.TypeOf(kind.Kind);
            if (type.Length == 0) throw new ImportFailedException($"--{kind.Name}-type may not be empty.");
            if (TextRules.Problem(type, $"--{kind.Name}-type", 64) is { } problem) throw new ImportFailedException(problem);
        }
        var root = Path.GetFullPath(options.Root);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"The folder '{options.Root}' does not exist.");
        var folders = MediaFolders.SelectMany(name => new[] { Path.Combine(root, "data", name), Path.Combine(root, name) }).Where(Directory.Exists).ToList();
        var productionFolders = new[] { Path.Combine(root, "data", "productions"), Path.Combine(root, "productions") }.Where(Directory.Exists).ToList();
        if (folders.Count == 0 && productionFolders.Count == 0) // before the report starts: the service answers it as a problem (404)
            throw new DirectoryNotFoundException($"'{options.Root}' has none of data/images, data/videos, data/audio, data/productions (nor those folders directly).");

        var report = new ImportReport();
        started?.Invoke(report);
        var importer = new Importer(store, blobs, maxBytes, actor, $"import-fs {root}", report, rehearsal);

        var files = new List<SourceFile>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders.Concat(productionFolders))
            if (visited.Add(new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder))
                Scan(root, RealRoot(root), folder, 0, files, visited, report);
        var (documents, media) = (files.Where(IsJson).ToList(), files.Where(f => !IsJson(f)).ToList());

        var read = new List<ProductionDocument>();
        foreach (var file in documents)
        {
            try
            {
                read.AddRange(ProductionFiles.Read(file.Path, file.Item));
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                var inMediaFolder = !productionFolders.Any(p => file.Path.StartsWith(p + Path.DirectorySeparatorChar, StringComparison.Ordinal));
                report.Item(file.Item, inMediaFolder && e.Message.StartsWith("not a production", StringComparison.Ordinal)
                    ? ImportOutcome.Unrecognised : ImportOutcome.Failed, e.Message);
            }
        }
        // The productions are created while the first batch of files is read, hashed and probed: a file waits for them only
        // when its registration is written, which names its production.
        var linking = Links.ImportAsync(importer, read, ct);
        try
        {
            await ImportMediaAsync(importer, probe, options, media, linking, progress, ct);
        }
        finally
        {
            await Task.WhenAny(linking); // stopped midway: the productions' commit finishes (or fails) first
        }

        var seen = media.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var document in (await linking).Productions)
        foreach (var name in document.Filenames.Keys.Where(n => !seen.Contains(n)))
        {
            if (await InCatalogAsync(importer, name, ct)) continue;
            report.Unlinked(document.Production.Source, $"production '{document.Production.ProductionId}' names '{name}', which is neither among the files nor in the catalog");
        }

        report.Seconds = watch.Elapsed.TotalSeconds;
        return report;
    }

    /// <summary>The productions created (or found) by the import, and which file goes into which: by the filenames their storyboards name, else by a clip id at the start of the file's name.</summary>
    private sealed class Links(List<ProductionDocument> productions)
    {
        private readonly Dictionary<string, Link> _byName = Named(productions);
        // Longest clip id first: clip_10 before clip_1.
        private readonly List<(string ClipId, string ProductionId)> _clips = productions
            .SelectMany(d => d.ClipIds.Select(clipId => (ClipId: clipId, d.Production.ProductionId))).OrderByDescending(c => c.ClipId.Length).ToList();

        public List<ProductionDocument> Productions => productions;

        public static async Task<Links> ImportAsync(Importer importer, List<ProductionDocument> read, CancellationToken ct)
        {
            var live = await importer.ImportProductionsAsync(read.Select(d => (d.Production, d.Production.Source)).ToList(), ct);
            return new Links(read.Where((_, i) => live[i]).ToList());
        }

        public Link? For(string name) => _byName.GetValueOrDefault(name) ?? ByClipId(name);

        /// <summary>A file named after a storyboard's clip id: <c>clip_003.mp4</c>, <c>clip_003_start.png</c>, <c>clip_003-v2.mp4</c>.</summary>
        private Link? ByClipId(string name)
        {
            var stem = Path.GetFileNameWithoutExtension(name);
            foreach (var (clipId, productionId) in _clips)
                if (stem == clipId || (stem.StartsWith(clipId, StringComparison.Ordinal) && stem[clipId.Length] is '_' or '-' or '.' or ' '))
                    return new Link(productionId, clipId);
            return null;
        }

        private static Dictionary<string, Link> Named(List<ProductionDocument> productions)
        {
            var links = new Dictionary<string, Link>(StringComparer.Ordinal);
            foreach (var document in productions)
            foreach (var (name, clipId) in document.Filenames)
                links.TryAdd(name, new Link(document.Production.ProductionId, clipId));
            return links;
        }
    }

    private static async Task ImportMediaAsync(Importer importer, MediaProbe probe, FileImportOptions options, List<SourceFile> media,
        Task<Links> linking, IProgress<WorkProgress>? progress, CancellationToken ct)
    {
        var done = new WorkProgress(0, media.Count, 0, media.Sum(f => f.Length));
        progress?.Report(done);
        // Group commit: a batch of files is read, hashed, staged and probed on every core, then registered in one
        // transaction with one flush of their bytes, while the next batches are read and the one before commits. Files of one name (in different
        // folders) go in rounds, each seeing the one before, as they would one after another.
        var rounds = media.GroupBy(f => f.Name, StringComparer.Ordinal)
            .SelectMany(g => g.Select((file, round) => (file, round)))
            .GroupBy(x => x.round).OrderBy(g => g.Key).Select(g => g.Select(x => x.file).ToList());
        var counting = new Lock(); // two commits may finish at once
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = ct };
        Importer.MakeRoomFor(parallel.MaxDegreeOfParallelism + options.CommitsInFlight);
        foreach (var round in rounds)
        {
            var committing = new Queue<Task>();
            try
            {
                foreach (var batch in Batches(round, options))
                {
                    var prepared = new Prepared?[batch.Count];
                    try
                    {
                        var existing = await importer.FindAllAsync(batch.Select(f => f.Name).ToHashSet(StringComparer.Ordinal), ct);
                        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), parallel, async (i, token) =>
                        {
                            prepared[i] = await PrepareAsync(importer, probe, options, batch[i], linking, existing, token);
                        });
                        await Importer.AwaitCommitsAsync(committing, Math.Max(1, options.CommitsInFlight) - 1);
                    }
                    catch
                    {
                        foreach (var p in prepared) if (p?.Asset is { } asset) await asset.DisposeAsync(); // staged, never to be committed
                        throw;
                    }
                    committing.Enqueue(CommitAndCountAsync(prepared.OfType<Prepared>().ToList(), batch));
                }
                await Importer.AwaitCommitsAsync(committing, 0);
            }
            finally
            {
                await Importer.SettleAsync(committing); // stopped midway: the batches already committing finish (or fail) first
            }
        }

        async Task CommitAndCountAsync(List<Prepared> prepared, List<SourceFile> batch)
        {
            await CommitAsync(importer, options, prepared, ct);
            lock (counting)
            {
                done = done with { Rows = done.Rows + batch.Count, Bytes = done.Bytes + batch.Sum(f => f.Length) };
                progress?.Report(done);
            }
        }
    }

    /// <summary>Files in scan order, cut into batches of at most <see cref="FileImportOptions.BatchFiles"/> files and about <see cref="FileImportOptions.BatchBytes"/> bytes.</summary>
    private static IEnumerable<List<SourceFile>> Batches(List<SourceFile> files, FileImportOptions options)
    {
        var batch = new List<SourceFile>();
        long bytes = 0;
        foreach (var file in files)
        {
            if (batch.Count > 0 && (batch.Count >= options.BatchFiles || bytes + file.Length > options.BatchBytes))
            {
                yield return batch;
                (batch, bytes) = ([], 0);
            }
            batch.Add(file);
            bytes += file.Length;
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>A file read: staged and waiting for its batch's commit, or already in the catalog with the same bytes.</summary>
    private sealed record Prepared(SourceFile File, PendingAsset? Asset, string? AlreadyThere);

    /// <summary>The batch registered together; then, with <c>--delete-source</c>, each source the catalog now holds deleted.</summary>
    private static async Task CommitAsync(Importer importer, FileImportOptions options, List<Prepared> batch, CancellationToken ct)
    {
        try
        {
            await importer.RegisterAsync(batch.Select(p => p.Asset).OfType<PendingAsset>().ToList(), ct);
        }
        finally
        {
            foreach (var pending in batch) if (pending.Asset is { } asset) await asset.DisposeAsync();
        }
        if (!options.DeleteSource) return;
        foreach (var (file, asset, alreadyThere) in batch)
            if ((asset is { Id: not null } ? asset.Blob.Sha256 : alreadyThere) is { } sha256)
                await importer.DeleteSourceAsync(file.Item, file.Path, sha256, ct);
    }

    /// <summary>Reads one file: its kind and MIME type from its bytes, then staged and probed (or found in the catalog already); null when left out (reported).</summary>
    private static async Task<Prepared?> PrepareAsync(Importer importer, MediaProbe probe, FileImportOptions options, SourceFile file, Task<Links> linking,
        IReadOnlyDictionary<(AssetKind Kind, string Filename), object> existing, CancellationToken ct)
    {
        var report = importer.Report;
        if (AssetFilenames.Problem(file.Name) is { } problem)
        {
            report.Item(file.Item, ImportOutcome.Failed, $"not a usable filename: {problem}");
            return null;
        }

        await using var stream = FileSystem.OpenToRead(file.Path);
        if (!stream.CanSeek) // a named pipe, a socket: its reads would wait for a writer, and it holds no file's bytes
        {
            report.Item(file.Item, ImportOutcome.Failed, "not a regular file (a named pipe or a socket): not read");
            return null;
        }
        if (stream.Length == 0)
        {
            report.Item(file.Item, ImportOutcome.Failed, "empty file (0 bytes)");
            return null;
        }
        var (mimeType, start) = await DetectAsync(stream, ct);
        if (mimeType is null)
        {
            report.Item(file.Item, ImportOutcome.Unrecognised, $"not an image, video or audio format the catalog knows (it starts with {start})");
            return null;
        }

        // A movie container's first bytes do not say whether it holds a picture: one that holds sound only is an audio
        // track (MediaTypes.SoundOnlyForm), so it is probed before its kind is chosen — unless the catalog already has the
        // name as one kind, which the re-run compares with. The probe's result is kept for the registration.
        var source = stream.SafeFileHandle;
        var lastWrite = File.GetLastWriteTimeUtc(source);
        ProbeResult? probed = null;
        if (MediaTypes.SoundOnlyForm(mimeType) is { } sound && !existing.ContainsKey((AssetKind.Video, file.Name)))
        {
            if (!existing.ContainsKey((AssetKind.Audio, file.Name)))
                probed = await probe.ProbeAsync(SourcePath(file, source), mimeType, ct);
            if (probed is null or { Facts.SoundOnly: true }) mimeType = sound;
        }

        var kind = AssetKinds.All.Single(k => mimeType.StartsWith(k.MimePrefix, StringComparison.Ordinal));
        return await kind.Accept(new PrepareFile(importer, probe, options, file, stream, mimeType, lastWrite, probed, linking,
            existing.GetValueOrDefault((kind.Kind, file.Name)), ct));
    }

    /// <summary>
    /// The file's MIME type from its first bytes (the stream left at its start); when unrecognised, how it starts instead. The
    /// head is read into a pooled buffer: a new 4 KiB one for every file was an eighth of what a small file's import allocated.
    /// </summary>
    private static async Task<(string? Type, string? Start)> DetectAsync(FileStream stream, CancellationToken ct)
    {
        var head = ArrayPool<byte>.Shared.Rent(StagedBlob.HeadLength);
        try
        {
            var length = await stream.ReadAtLeastAsync(head.AsMemory(0, StagedBlob.HeadLength), StagedBlob.HeadLength, throwOnEndOfStream: false, ct);
            stream.Position = 0;
            return MediaTypes.Detect(head.AsSpan(0, length)) is { } type ? (type, null) : (null, Preview(head.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    /// <summary>The file the import opened, through its handle (the same file whatever is renamed over its name meanwhile).</summary>
    private static string SourcePath(SourceFile file, SafeFileHandle source) => OperatingSystem.IsLinux() ? FileSystem.PathOf(source) : file.Path;

    private sealed record PrepareFile(Importer Importer, MediaProbe Probe, FileImportOptions Options, SourceFile File, FileStream Stream,
        string MimeType, DateTime LastWrite, ProbeResult? Probed, Task<Links> Linking, object? Existing, CancellationToken Ct) : IAssetKindVisitor<Task<Prepared?>>
    {
        public Task<Prepared?> Visit<TMetadata>() where TMetadata : IAssetMetadata =>
            PrepareAsync<TMetadata>(Importer, Probe, Options, File, Stream, MimeType, LastWrite, Probed, Linking, (AssetView<TMetadata>?)Existing, Ct);
    }

    /// <param name="lastWrite">The file's modification time when it was opened, before anything was read.</param>
    /// <param name="probedBefore">The probe's result when the file was probed before its kind was chosen; else it is probed once staged.</param>
    private static async Task<Prepared?> PrepareAsync<TMetadata>(Importer importer, MediaProbe probe, FileImportOptions options,
        SourceFile file, FileStream stream, string mimeType, DateTime lastWrite, ProbeResult? probedBefore, Task<Links> linking,
        AssetView<TMetadata>? found, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        if (found is { } existing)
            return await importer.AlreadyThereAsync(file.Item, existing, stream, (await linking).For(file.Name)?.ProductionId, ct) ? new Prepared(file, null, existing.Sha256) : null;

        var source = stream.SafeFileHandle;
        var createdAt = new DateTimeOffset(lastWrite, TimeSpan.Zero);
        var type = options.TypeOf(TMetadata.Kind);
        string? damage = null;
        var changed = false;
        var pending = await importer.StageAsync(file.Item, stream, async staged =>
        {
            // The probe reads the source through the handle its bytes were staged from (the same file whatever is renamed
            // over its name meanwhile), not the staged copy: a batch writes its larger files past the page cache, and reading
            // them back would be from the disk (BENCHMARKS.md, "Past the page cache"). Written to meanwhile, the file is
            // left for the next run: what the probe read might not be what was staged.
            var probed = probedBefore is { } before ? MediaProbe.Found(staged, mimeType, before)
                : await probe.ProbeAsync(staged, mimeType, ct, sameBytesAt: SourcePath(file, source));
            if (File.GetLastWriteTimeUtc(source) != lastWrite || RandomAccess.GetLength(source) != staged.Length)
            {
                changed = true;
                return null;
            }
            if (probed.Facts is not { } facts)
            {
                damage = probed.Damage;
                return null;
            }
            var link = (await linking).For(file.Name);
            var metadata = Metadata<TMetadata>(facts, link?.ClipId, type);
            return new RegisterAsset<TMetadata>(file.Name, link?.ProductionId, metadata, new StoredContent(staged.Sha256, staged.Length, mimeType), createdAt);
        }, wantedId: null, ct);
        if (changed) importer.Report.Item(file.Item, ImportOutcome.Failed, "written to while it was imported: left for the next run");
        else if (damage is not null) importer.Report.Item(file.Item, ImportOutcome.Failed, $"damaged: {damage}");
        return pending is null ? null : new Prepared(file, pending, null);
    }

    /// <summary>The kind's columns from what the probe read, as an upload's are; the type is the option's (the bytes cannot say it).</summary>
    private static TMetadata Metadata<TMetadata>(MediaFacts facts, string? clipId, string type) where TMetadata : IAssetMetadata
    {
        var kind = AssetKinds.Of<TMetadata>();
        return MetadataFromBytes.Complete(kind.Create(field => field.Name == kind.TypeField ? type : field.Name == "clip_id" ? clipId : null), facts);
    }

    private static async Task<bool> InCatalogAsync(Importer importer, string name, CancellationToken ct)
    {
        foreach (var kind in AssetKinds.All)
            if (await kind.Accept(new IsInCatalog(importer, name, ct))) return true;
        return false;
    }

    private sealed record IsInCatalog(Importer Importer, string Name, CancellationToken Ct) : IAssetKindVisitor<Task<bool>>
    {
        public async Task<bool> Visit<TMetadata>() where TMetadata : IAssetMetadata => await Importer.FindAsync<TMetadata>(Name, Ct) is not null;
    }

    /// <summary>What an operating system writes into a folder it shows or copies, never media: Finder's <c>.DS_Store</c>
    /// and AppleDouble <c>._*</c> companions (and a zip's <c>__MACOSX</c> of them), Windows' <c>Thumbs.db</c> and
    /// <c>desktop.ini</c>, the volume folders of Spotlight, the trash and the recycle bin.</summary>
    private static readonly HashSet<string> SystemFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        ".DS_Store", "Thumbs.db", "ehthumbs.db", "desktop.ini", "Icon\r", "__MACOSX", ".Spotlight-V100", ".Trashes",
        ".fseventsd", ".TemporaryItems", "$RECYCLE.BIN", "System Volume Information",
    };

    private static bool IsSystemFile(string name, bool isDirectory) =>
        SystemFiles.Contains(name) || (!isDirectory && name.StartsWith("._", StringComparison.Ordinal));

    /// <summary>Files under a folder, in name order; a symlink is followed only when it stays inside the root.</summary>
    private static void Scan(string root, string realRoot, string folder, int depth, List<SourceFile> files, HashSet<string> visited, ImportReport report)
    {
        List<FolderEntry> entries;
        try
        {
            entries = FolderEntry.Read(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            report.Item(Path.GetRelativePath(root, folder), ImportOutcome.Failed, $"cannot read the folder: {e.Message}");
            return;
        }

        foreach (var entry in entries)
        {
            if (IsSystemFile(entry.Name, entry.IsDirectory))
            {
                report.SystemFileLeftOut();
                continue;
            }
            var item = Path.GetRelativePath(root, entry.Path);
            var (isDirectory, length, real) = (entry.IsDirectory, entry.Length, entry.Path);
            if (entry.Linked is { } link)
            {
                var final = link.ResolveLinkTarget(returnFinalTarget: true);
                if (final is null || !final.Exists)
                {
                    report.Item(item, ImportOutcome.Failed, $"a symlink to '{link.LinkTarget}', which does not exist");
                    continue;
                }
                if (!IsInside(realRoot, final.FullName) && !IsInside(root, final.FullName))
                {
                    report.Item(item, ImportOutcome.Failed, $"a symlink to '{final.FullName}', outside the import's root: not followed");
                    continue;
                }
                (isDirectory, length, real) = (final is DirectoryInfo, (final as FileInfo)?.Length ?? 0, final.FullName);
            }

            if (isDirectory)
            {
                if (!visited.Add(real)) continue; // reached again through a symlink
                if (depth >= MaxDepth) report.Item(item, ImportOutcome.Failed, $"nested deeper than {MaxDepth} folders: not read");
                else Scan(root, realRoot, entry.Path, depth + 1, files, visited, report);
            }
            else files.Add(new SourceFile(item, entry.Path, entry.Name, length));
        }
    }

    /// <summary>
    /// An entry of a folder being scanned: a file or folder as the folder's own listing says (a file's length its one
    /// <c>lstat</c>), or a symlink (<see cref="Linked"/>, followed through its <see cref="FileSystemInfo"/>).
    /// </summary>
    private sealed record FolderEntry(string Name, string Path, bool IsDirectory, long Length, FileSystemInfo? Linked = null)
    {
        /// <summary>The first listing leaves links out (nothing of an entry is asked but a file's length); the second names every entry.</summary>
        private static readonly EnumerationOptions Plain = new() { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
        private static readonly EnumerationOptions Every = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

        /// <summary>
        /// The folder's entries in name order. The listing says which entry is a folder and which a link (<c>d_type</c>), so
        /// a file costs one system call (its length) and a folder none; through <see cref="FileSystemInfo"/> each file cost
        /// three (the <c>lstat</c>, a <c>readlink</c> asking whether it is a link, a <c>geteuid</c>; BENCHMARKS.md, "The scan,
        /// one call a file"). A name the first listing left out — a link, or one made between the two — is looked at as any
        /// entry was before.
        /// </summary>
        public static List<FolderEntry> Read(string folder)
        {
            var entries = new FileSystemEnumerable<FolderEntry>(folder,
                (ref FileSystemEntry e) => new FolderEntry(e.FileName.ToString(), e.ToFullPath(), e.IsDirectory, e.IsDirectory ? 0 : e.Length), Plain).ToList();
            var plain = entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var name in new FileSystemEnumerable<string>(folder, (ref FileSystemEntry e) => e.FileName.ToString(), Every))
            {
                if (plain.Contains(name)) continue;
                var path = System.IO.Path.Combine(folder, name);
                FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
                if (info.LinkTarget is not null) entries.Add(new FolderEntry(name, path, info is DirectoryInfo, 0, Linked: info));
                else if (info.Exists) entries.Add(new FolderEntry(name, path, info is DirectoryInfo, (info as FileInfo)?.Length ?? 0));
                // else gone since the first listing
            }
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return entries;
        }
    }

    private static bool IsJson(SourceFile file) => file.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    private static string RealRoot(string root) => new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? root;

    private static bool IsInside(string root, string path) =>
        path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The first bytes, as text when they are text (<c>"&lt;!DOCTYPE html&gt;…"</c>), else in hex.</summary>
    private static string Preview(ReadOnlySpan<byte> head)
    {
        var start = head[..Math.Min(head.Length, 16)];
        var text = Encoding.UTF8.GetString(start);
        return text.All(c => !char.IsControl(c) || c is '\n' or '\r' or '\t')
            ? $"\"{text.ReplaceLineEndings(" ")}…\""
            : Convert.ToHexString(start[..Math.Min(start.Length, 8)]) + "…";
    }
}
