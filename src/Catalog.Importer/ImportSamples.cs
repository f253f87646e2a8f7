using System.Diagnostics;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Marten;

namespace Catalog.Importer;

/// <summary>
/// A few tiny files of each kind the catalog reads (PNG, JPEG, WebP, GIF; MP4, WebM, QuickTime; WAV, MP3, Ogg, FLAC, M4A) and a
/// production document whose clip id (<c>sample</c>) puts every sample into it, built into this assembly, rehearsed as a
/// folder import (<see cref="FileSystemImport.RehearseAsync"/>) when the service starts: the import's path (the readers of
/// each format, the productions, the registration decisions, the files put into a production, the rows' JSON) is compiled
/// then, not in the middle of a user's first import.
/// </summary>
public static class ImportSamples
{
    private const string Prefix = "Catalog.Importer.Samples/";

    /// <summary>Lays the samples out as an import folder in a temporary folder, rehearses its import, and removes the folder.</summary>
    /// <returns>The rehearsal's report and how long it took.</returns>
    public static async Task<(ImportReport Report, TimeSpan Took)> RehearseAsync(IDocumentStore store, IBlobStore blobs, MediaProbe probe, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var root = Directory.CreateTempSubdirectory("catalog-import-samples-");
        try
        {
            var assembly = typeof(ImportSamples).Assembly;
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
            {
                var path = Path.Combine(root.FullName, name[Prefix.Length..]); // laid out as an import folder: data/images/…
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using var source = assembly.GetManifestResourceStream(name)!;
                await using var target = File.Create(path);
                await source.CopyToAsync(target, ct);
            }
            var report = await FileSystemImport.RehearseAsync(store, blobs, probe, root.FullName, ct);
            return (report, watch.Elapsed);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
