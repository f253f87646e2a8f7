using System.Diagnostics;

namespace Catalog.Api.Media;

/// <summary>
/// The write requests (uploads, batch uploads, imports handed to the service, every POST, PUT, PATCH and DELETE) running now,
/// so the renditions' background queue yields the cores to them: a thumbnail waits until no write has been running for
/// <see cref="Quiet"/>, but is never made more than <see cref="MaxWait"/> later than it was asked for (under a steady stream of
/// uploads the pictures run that much behind; a request for a picture not made yet makes it itself and never waits here). Measured: libvips and
/// ffmpeg making the thumbnails and previews of a batch upload took a third of the cores the upload was using
/// (BENCHMARKS.md, "Uploads beside the import"). While an import runs (<see cref="Import"/>: a folder or an assets.db imported by the
/// service) the queue waits past <see cref="MaxWait"/> too, until it ends: the thumbnails of the import before it, made meanwhile,
/// cost an import of 2,000 frames 0.1–0.3 s of CPU and ~10% of its time (BENCHMARKS.md, "Imports one after another").
/// </summary>
public sealed class WritesInFlight
{
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    private int _running;
    private int _imports;
    private long _lastEnded = Stopwatch.GetTimestamp() - Stopwatch.Frequency; // quiet since the start

    /// <summary>The longest a rendition is held back for the writes, from when it was asked for (2 s; the tests lengthen it to see it wait).</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Write requests running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Imports running now (<see cref="Import"/>).</summary>
    public int Imports => Volatile.Read(ref _imports);

    /// <summary>A write request begins; disposing the answer ends it.</summary>
    private Ended Begin()
    {
        Interlocked.Increment(ref _running);
        return new Ended(this, import: false);
    }

    /// <summary>An import begins (bulk writes a user times, however long): the renditions wait until it ends, past <see cref="MaxWait"/>;
    /// disposing the answer ends it.</summary>
    public IDisposable Import()
    {
        Interlocked.Increment(ref _imports);
        return new Ended(this, import: true);
    }

    /// <summary>Whether no write or import is running and none ended within <see cref="Quiet"/>.</summary>
    private bool IsQuiet => Running == 0 && Imports == 0 && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastEnded)) >= Quiet;

    /// <summary>Waits until <see cref="IsQuiet"/>, or until <see cref="MaxWait"/> after <paramref name="due"/> (when the work was
    /// asked for) while no import runs: a backlog made during a long run of writes is late by at most that much, then made one
    /// after another; one made during an import waits for its end.</summary>
    public async Task QuietAsync(DateTimeOffset due, CancellationToken ct)
    {
        while (!IsQuiet && (Imports > 0 || DateTimeOffset.UtcNow - due < MaxWait)) await Task.Delay(Poll, ct);
    }

    private sealed class Ended(WritesInFlight writes, bool import) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 1) return;
            Interlocked.Exchange(ref writes._lastEnded, Stopwatch.GetTimestamp());
            Interlocked.Decrement(ref import ? ref writes._imports : ref writes._running);
        }
    }

    private static bool IsWrite(string method) => !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method);

    /// <summary>Counts every write request while it runs (its body read, its work done, its answer written).</summary>
    public static void Use(IApplicationBuilder app)
    {
        // Portable mode's host has no renditions queue (and answers every write with a 405): nothing to count.
        if (app.ApplicationServices.GetService<WritesInFlight>() is not { } writes) return;
        app.Use(async (context, next) =>
        {
            if (!IsWrite(context.Request.Method))
            {
                await next(context);
                return;
            }
            using var _ = writes.Begin();
            await next(context);
        });
    }
}
