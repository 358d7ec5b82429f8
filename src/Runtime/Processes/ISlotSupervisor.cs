namespace ParallelGen.Processes;

/// <summary>
/// The pool as one <see cref="WorkerSlot"/> sees it while it keeps a worker process alive: how to start one, whether to
/// start another, and where to say that it can't. The executor implements it.
/// </summary>
internal interface ISlotSupervisor
{
    /// <summary>Starts worker processes.</summary>
    WorkerLauncher Launcher { get; }

    /// <summary>No new workers are started once stopping (draining or terminating).</summary>
    bool IsStopping { get; }

    /// <summary>Cancelled when the pool is terminated.</summary>
    CancellationToken Stopping { get; }

    /// <summary>Where each worker process's share of the pool's insights is kept.</summary>
    Insights.InsightsRecorder Insights { get; }

    /// <summary>Slot <paramref name="slotIndex"/> gave up: its worker processes keep failing to start.</summary>
    void ReportBroken(int slotIndex, string reason, Exception? cause);
}
