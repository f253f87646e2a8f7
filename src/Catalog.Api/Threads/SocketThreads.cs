using System.Reflection;

namespace Catalog.Api.Threads;

/// <summary>
/// The small file answered on the thread that saw its request arrive, and everything else kept off that thread.
/// <para>
/// By default a request hops twice before its first line runs: the runtime's socket thread hands the readiness to the thread
/// pool, and Kestrel queues the read again. For a 25 KB image those hops cost a fifth of nginx's pace (BENCHMARKS.md,
/// issue 15). With <see cref="Enabled"/> both are inline: the runtime completes socket operations on its socket threads
/// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>) and Kestrel runs the request where its bytes were read
/// (<c>UnsafePreferInlineScheduling</c>), so the media lane's answer is written without leaving that thread.
/// </para>
/// <para>
/// The runtime's setting is process-wide: whatever continues after any socket operation — PostgreSQL's answers included —
/// would run on those few threads, and a thumbnail's decoding or an export's SQLite writes there would hold every connection
/// they serve. So all other work runs through <see cref="Run"/>: under <see cref="Pool"/>, where each <c>await</c>
/// continues on a thread-pool thread wherever the awaited operation completed. The pipeline after the media lane, every
/// Wolverine handler of the background queues and every periodic job start there.
/// </para>
/// </summary>
public static class SocketThreads
{
    private const string RuntimeSwitch = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Work started here continues on the thread pool after every <c>await</c>, never on a socket thread.</summary>
    public static TaskScheduler Pool { get; } = new PoolScheduler();

    /// <summary>Whether this process answers on its socket threads (<c>Catalog:InlineSockets</c>, on unless set to false).</summary>
    public static bool Enabled { get; private set; }

    /// <summary>
    /// Turns the runtime's inline completions on, before the process opens its first socket (the runtime reads the switch
    /// once, when its socket engine starts): called first thing in Program. Only when the service is the process: a test
    /// host that runs it in-process has opened sockets of its own already, and its other tests share the setting. An
    /// explicit environment value is left as it is (<c>0</c> turns it off as well).
    /// </summary>
    public static void Configure(IConfiguration configuration)
    {
        var theServiceIsTheProcess = Assembly.GetEntryAssembly() == typeof(SocketThreads).Assembly;
        if (theServiceIsTheProcess && configuration.GetValue("Catalog:InlineSockets", true) && Environment.GetEnvironmentVariable(RuntimeSwitch) is null)
            Environment.SetEnvironmentVariable(RuntimeSwitch, "1");
        Enabled = theServiceIsTheProcess && Environment.GetEnvironmentVariable(RuntimeSwitch) == "1";
    }

    /// <summary>Runs <paramref name="work"/> under <see cref="Pool"/>: it and everything it awaits continue on the thread pool.</summary>
    public static Task Run(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Pool).Unwrap();

    /// <inheritdoc cref="Run(Func{Task})"/>
    public static Task<T> Run<T>(Func<Task<T>> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Pool).Unwrap();

    /// <summary>
    /// The thread pool as a scheduler of its own: an <c>await</c> under it queues its continuation here unless it completes
    /// on a thread-pool thread already (the runtime's socket threads are not), and the pool runs it.
    /// </summary>
    private sealed class PoolScheduler : TaskScheduler
    {
        protected override void QueueTask(Task task) =>
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Scheduler.TryExecuteTask(state.Task), (Scheduler: this, Task: task), preferLocal: false);

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
            Thread.CurrentThread.IsThreadPoolThread && TryExecuteTask(task);

        protected override IEnumerable<Task> GetScheduledTasks() => [];
    }
}
