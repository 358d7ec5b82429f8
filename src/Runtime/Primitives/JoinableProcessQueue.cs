using System.Diagnostics.CodeAnalysis;
using ParallelGen.Brokering.Client;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A <see cref="ProcessQueue{T}"/> that also counts the items not yet processed (Python's
/// <c>multiprocessing.JoinableQueue</c>): every put adds one, every <see cref="TaskDone"/> takes one
/// away, and <see cref="Join()"/> waits until the count is back to zero.
/// <code>
/// using var jobs = new JoinableProcessQueue&lt;string&gt;();
/// WorkerProcess.Start(Jobs.Work, jobs);   // loops: var job = jobs.Get(); ...; jobs.TaskDone();
/// foreach (string job in todo) jobs.Put(job);
/// jobs.Join();                            // every job was taken and marked done
/// </code>
/// </summary>
/// <typeparam name="T">The item type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
[WireCodec(typeof(JoinableProcessQueueCodec<>))]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Python's multiprocessing.JoinableQueue: the name users port from.")]
public sealed class JoinableProcessQueue<T> : ProcessQueue<T>
{
    /// <summary>Creates an empty, unbounded joinable queue hosted by this process.</summary>
    public JoinableProcessQueue()
        : base(Create(0, joinable: true), owner: true)
    {
    }

    /// <summary>Creates an empty joinable queue holding at most <paramref name="capacity"/> items: puts wait while it is full.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative.</exception>
    public JoinableProcessQueue(int capacity)
        : base(Create(PositiveCapacity(capacity), joinable: true), owner: true)
    {
    }

    internal JoinableProcessQueue(BrokerHandle handle, bool owner)
        : base(handle, owner)
    {
    }

    /// <summary>Says that an item taken from the queue has been processed (Python's <c>task_done()</c>); when none is left unfinished, <see cref="Join()"/> returns.</summary>
    /// <exception cref="InvalidOperationException">Called more times than items were put (Python's <c>ValueError</c>).</exception>
    public void TaskDone() => Handle.Invoke(BrokerOp.QueueTaskDone).ThrowIfError();

    /// <summary>Waits until every item put so far has been taken and marked done with <see cref="TaskDone"/> (Python's <c>join()</c>).</summary>
    /// <exception cref="InvalidOperationException">A put this process made earlier without waiting was refused.</exception>
    public void Join()
    {
        BrokerHandle handle = Handle;
        handle.InvokeWaiting(BrokerOp.QueueJoin, default, Timeout.InfiniteTimeSpan, default);
        handle.Session.ThrowIfRefused(handle.Id);
    }

    /// <summary>Waits up to <paramref name="timeout"/> until every item put has been marked done; <see langword="false"/> if some are still unfinished.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public bool Join(TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        return Handle.InvokeWaiting(BrokerOp.QueueJoin, default, timeout, default).IsOk;
    }

    /// <summary>Completes when every item put has been marked done, without holding a thread while it waits.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        BrokerResult result = await Handle.InvokeWaitingAsync(BrokerOp.QueueJoin, [], cancellationToken).ConfigureAwait(false);
        if (!result.IsOk)
        {
            throw new OperationCanceledException("The wait for every item to be marked done was cancelled.", cancellationToken);
        }
    }
}
