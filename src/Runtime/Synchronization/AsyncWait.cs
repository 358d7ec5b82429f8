namespace ParallelGen.Synchronization;

/// <summary>
/// The async waits (<c>AcquireAsync</c>, <c>WaitAsync</c>): a futex can only be waited on by a blocked
/// thread, so the wait runs on a thread of its own, and cancelling wakes every waiter of the word so
/// that this one sees the token. Costs a thread per pending wait: fine for combining a few waits with
/// <see cref="Task.WhenAny(Task[])"/>, not for thousands at once.
/// </summary>
internal static class AsyncWait
{
    public static Task<T> Run<T>(Func<CancellationToken, T> wait, Action wakeAll, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        return Task.Factory.StartNew(
            () =>
            {
                using CancellationTokenRegistration registration = cancellationToken.Register(wakeAll);
                return wait(cancellationToken);
            },
            cancellationToken,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default);
    }
}
