using System.Collections.Concurrent;

namespace Catalog.Testing;

/// <summary>
/// Managed memory allocated by one piece of async work, measured on its own thread: the work and every continuation
/// of its awaits run on one dedicated thread (a single-threaded synchronization context), and only that thread's
/// allocations are counted — other tests running meanwhile do not move the figure. (Libraries that continue on the
/// thread pool, like Npgsql, allocate outside it; the project's own code does not.)
/// </summary>
public static class Allocations
{
    public static Task<long> OfAsync(Func<Task> work)
    {
        var result = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var context = new Pump();
            SynchronizationContext.SetSynchronizationContext(context);
            var before = GC.GetAllocatedBytesForCurrentThread();
            Task task;
            try
            {
                task = work();
            }
            catch (Exception e)
            {
                task = Task.FromException(e);
            }
            task.ContinueWith(_ => context.Complete(), TaskScheduler.Default);
            context.RunUntilComplete();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (task.IsFaulted) result.SetException(task.Exception!.InnerExceptions);
            else if (task.IsCanceled) result.SetCanceled();
            else result.SetResult(allocated);
        }) { IsBackground = true, Name = "allocation-measure" };
        thread.Start();
        return result.Task;
    }

    private sealed class Pump : SynchronizationContext
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();

        public override void Post(SendOrPostCallback d, object? state) => _queue.Add((d, state));

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

        public void Complete() => _queue.CompleteAdding();

        public void RunUntilComplete()
        {
            foreach (var (callback, state) in _queue.GetConsumingEnumerable()) callback(state);
        }
    }
}
