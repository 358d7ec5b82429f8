using ParallelGen.Execution;

namespace ParallelGen.Processes;

/// <summary>A chunk between <see cref="IWorkerExecutor.RunAsync"/> and its reply. Queued → sent → done, each step taken once.</summary>
internal sealed class PendingChunk
{
    private const int Queued = 0;
    private const int Sent = 1;
    private const int Done = 2;

    private readonly TaskCompletionSource<ChunkReply> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _registration;
    private int _state;

    public PendingChunk(ChunkRequest request)
    {
        Request = request;
    }

    public ChunkRequest Request { get; }

    public Task<ChunkReply> Task => _completion.Task;

    public void CancelWhileQueued(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var chunk = (PendingChunk)state!;
                if (Interlocked.CompareExchange(ref chunk._state, Done, Queued) == Queued)
                {
                    chunk._completion.TrySetCanceled(token);
                }
            }, this);
        }
    }

    /// <summary>Claims the chunk for sending; <see langword="false"/> if it was cancelled or failed meanwhile.</summary>
    public bool TryMarkSent() => Interlocked.CompareExchange(ref _state, Sent, Queued) == Queued;

    /// <summary>Puts a claimed chunk back in the queued state (its worker died before sending it).</summary>
    public void Unsend() => Interlocked.CompareExchange(ref _state, Queued, Sent);

    public void Complete(ChunkReply reply)
    {
        Interlocked.Exchange(ref _state, Done);
        _registration.Dispose();
        if (!_completion.TrySetResult(reply))
        {
            reply.Dispose();
        }
    }

    public void Fail(Exception exception)
    {
        Interlocked.Exchange(ref _state, Done);
        _registration.Dispose();
        _completion.TrySetException(exception);
    }
}
