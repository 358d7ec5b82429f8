namespace ParallelGen.Processes;

/// <summary>
/// The pool's dispatching side as one worker conversation sees it: where chunks wait, where a chunk goes back when its
/// worker can't run it, and how an idle worker asks the others for chunks they hold unstarted. The executor implements it;
/// a conversation knows nothing else of the pool.
/// </summary>
internal interface IWorkerDispatch
{
    /// <summary>Matches waiting chunks with idle workers.</summary>
    ChunkDispatcher Dispatcher { get; }

    /// <summary>Cancelled when the pool is terminated (not when it drains).</summary>
    CancellationToken Stopping { get; }

    /// <summary>Puts back a chunk that a dying worker had taken but not sent (or that a crash sends round again).</summary>
    void Requeue(PendingChunk chunk);

    /// <summary><paramref name="idle"/> parked with nothing to run: ask the other workers for chunks they hold but have not started.</summary>
    void Steal(WorkerConversation idle);
}
