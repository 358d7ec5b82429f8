namespace ParallelGen.Hosting;

/// <summary>Exit codes a worker process uses on purpose; anything else is a crash.</summary>
internal static class WorkerExitCodes
{
    public const int Clean = 0;
    public const int ParentGone = 0;
    public const int NoWorkerTable = 70;
    public const int HandshakeFailed = 71;
    public const int ProtocolError = 72;
}
