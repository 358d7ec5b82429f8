using System.Collections.Concurrent;
using System.Net.Sockets;
using ParallelGen.Exceptions;
using ParallelGen.Execution;
using ParallelGen.Protocol;
using ParallelGen.Serialization;
using ParallelGen.Transport;

namespace ParallelGen.Hosting;

/// <summary>
/// The worker side of a channel: connect, prove the secret, then run chunks one after another and send their
/// results back. Two serving threads take turns as leader and follower: the leader reads the channel, and when a
/// chunk arrives it hands the reading over to the other thread and runs the chunk itself, so a chunk starts on
/// the thread that received it (no wake-up of another thread between the socket and the work) while a Cancel
/// still reaches a busy chunk and a closed channel still ends the process. Chunks that arrive while one runs wait
/// in a queue (the parent pipelines small, fast chunks); the reader gives them back unstarted on a Reclaim, or
/// drops one on its Cancel, answering with a Returned frame. A watchdog
/// (<see cref="WorkerWatchdog"/>) watches the parent pid and the task timeout.
/// </summary>
internal static class WorkerLoop
{
    /// <summary>Set once the loop is leaving on purpose: the channel it then closes must not make the other serving thread exit with "parent gone".</summary>
    private static volatile bool s_leaving;

    public static int Run(IWorkerTable table)
    {
        WorkerEnvironment environment = WorkerContext.Environment!;

        // First of all, so that even a worker stuck in start-up never outlives its parent.
        WorkerWatchdog watchdog = WorkerWatchdog.Start(environment);
        if (ParentConnection.Open(environment, "worker", "pool", out byte[] secret, out RingRegion? rings) is not { } connection)
        {
            return WorkerExitCodes.HandshakeFailed;
        }

        using var writer = new WireWriter(4096);
        writer.Advance(ProtocolConstants.HeaderLength);
        new Hello(secret, Environment.ProcessId, environment.WorkerIndex, table.BuildId, OnRings: rings is not null).Write(writer);
        ForgetSecret(secret);

        try
        {
            connection.SendPrepared(writer.WrittenBuffer, FrameType.Hello);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The parent is going away: nothing to serve.
            rings?.Dispose();
            connection.Dispose();
            return WorkerExitCodes.ParentGone;
        }

        // The transport upgrade point, worker side (see TransportUpgrade): the Hello said which transport this worker reads,
        // the parent follows it, and every later frame goes over it. No answer to wait for; the parent's side of the
        // handshake runs while this worker sets up the rest of its loop.
        IFrameTransport upgraded = TransportUpgrade.ToParent(connection, rings);
        using IFrameTransport transport = upgraded;
        var session = new WorkerSession(transport);
        watchdog.Attach(session);
        var serving = new Serving(table, session, new ChunkResultWriter(writer), watchdog, environment.TaskTimeout is not null)
        {
            Memory = environment.MaxMemoryBytes is long limit ? new MemoryWatch(limit) : null,
        };
        if (WorkerHost.ChunksMayRunOnAnyThread)
        {
            var follower = new Thread(() => Serve(serving)) { IsBackground = true, Name = "Parallel.Gen worker" };
            follower.Start();
            return Serve(serving);
        }

        return ServeOnThisThreadOnly(serving);
    }

    /// <summary>
    /// Only this thread may call into the entry module (see <see cref="WorkerHost.ChunksMayRunOnAnyThread"/>): another thread
    /// reads and hands chunks over. A method of its own so that workers that don't need it never load
    /// System.Collections.Concurrent for the <see cref="BlockingCollection{T}"/>.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int ServeOnThisThreadOnly(Serving serving)
    {
        using var handoff = new BlockingCollection<ReceivedFrame>();
        serving.Handoff = handoff.Add;
        var reader = new Thread(() => Serve(serving)) { IsBackground = true, Name = "Parallel.Gen channel reader" };
        reader.Start();
        foreach (ReceivedFrame frame in handoff.GetConsumingEnumerable())
        {
            if (frame.Type == FrameType.Shutdown)
            {
                return Handle(serving, frame);
            }

            RunQueued(serving, frame);
        }

        return WorkerExitCodes.ParentGone;
    }

    /// <summary>
    /// Clears the secret once the Hello holds it. Not <c>CryptographicOperations.ZeroMemory</c>: that would load
    /// System.Security.Cryptography into every worker for this one call; a clear through a call the JIT can't see
    /// through is not optimized away either.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ForgetSecret(byte[] secret)
    {
        secret.AsSpan().Clear();
        GC.KeepAlive(secret);
    }

    /// <summary>
    /// One serving thread: wait for the turn to read, read a frame; a chunk passes the turn on and runs here. Returns the exit
    /// code the worker was asked to leave with (the main thread returns it from <see cref="Run"/>), or -1 when this thread ends
    /// because the worker is leaving.
    /// </summary>
    private static int Serve(Serving serving)
    {
        WorkerSession session = serving.Session;
        while (true)
        {
            serving.ReadTurn.Wait();
            if (serving.ExitCode >= 0)
            {
                serving.ReadTurn.Release();
                return serving.ExitCode;
            }

            ReceivedFrame? frame = Receive(session, serving.Watchdog);
            if (frame is null)
            {
                // Leaving on purpose: the thread that took the Shutdown returns its code.
                serving.ReadTurn.Release();
                return -1;
            }

            switch (frame.Type)
            {
                case FrameType.Cancel when frame.Length == RequestId.Length:
                    // A queued chunk is dropped (and named in a Returned frame); a running one gets its token cancelled.
                    long requestId = RequestId.Read(frame.Body, frame.Type);
                    frame.Dispose();
                    serving.ReadTurn.Release();
                    if (!ReturnQueued(serving, requestId))
                    {
                        session.Cancel(requestId);
                    }

                    break;
                case FrameType.Reclaim:
                    frame.Dispose();
                    serving.ReadTurn.Release();
                    ReturnQueued(serving, requestId: null);
                    break;
                case FrameType.Shutdown when serving.Handoff is { } handoff:
                    // This thread only reads: the main thread runs chunks and leaves.
                    handoff(frame);
                    serving.ReadTurn.Release();
                    break;
                case FrameType.Run or FrameType.RunTraced or FrameType.Initialize when serving.Handoff is { } handoff:
                    // The main thread runs chunks: wake it unless it is running already (it takes queued ones as it goes).
                    if (Enqueue(serving, frame))
                    {
                        handoff(frame);
                    }

                    serving.ReadTurn.Release();
                    break;
                case FrameType.Shutdown:
                    int exitCode = Handle(serving, frame);
                    serving.ReadTurn.Release();
                    return exitCode;
                case FrameType.Run or FrameType.RunTraced or FrameType.Initialize:
                    // The other thread reads on (Cancels, Reclaims, a closed channel) while this one runs the chunk and
                    // whatever queues behind it; a chunk that arrives while another runs just queues.
                    bool runHere = Enqueue(serving, frame);
                    serving.ReadTurn.Release();
                    if (runHere)
                    {
                        RunQueued(serving, frame);
                    }

                    break;
                default:
                    WorkerErrors.Write($"Parallel.Gen worker {Environment.ProcessId}: Unexpected {frame.Type} frame of {frame.Length} bytes from the pool.");
                    frame.Dispose();
                    WorkerExit.Exit(WorkerExitCodes.ProtocolError);
                    return WorkerExitCodes.ProtocolError;
            }
        }
    }

    /// <summary>
    /// A chunk arrived: returns <see langword="true"/> when nothing runs, so the caller must run it now (the worker is busy
    /// from here on); otherwise queues it behind the running one.
    /// </summary>
    private static bool Enqueue(Serving serving, ReceivedFrame frame)
    {
        lock (serving.Pending)
        {
            if (!serving.Busy)
            {
                serving.Busy = true;
                return true;
            }

            serving.Queued.Enqueue(frame);
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="frame"/>, then each queued chunk in turn. The next chunk is taken under the lock a Reclaim
    /// takes the queue under, so each chunk is either started or returned, never both.
    /// </summary>
    private static void RunQueued(Serving serving, ReceivedFrame frame)
    {
        while (true)
        {
            Handle(serving, frame);
            lock (serving.Pending)
            {
                if (!serving.Queued.TryDequeue(out ReceivedFrame? next))
                {
                    serving.Busy = false;
                    return;
                }

                frame = next;
            }
        }
    }

    /// <summary>
    /// Gives back queued chunks that have not started: all of them (a Reclaim, answered even when none are left), or the one
    /// named <paramref name="requestId"/> (a Cancel: returns <see langword="false"/>, sending nothing, when it is not queued).
    /// </summary>
    private static bool ReturnQueued(Serving serving, long? requestId)
    {
        List<ReceivedFrame> returned = [];
        lock (serving.Pending)
        {
            int count = serving.Queued.Count;
            for (int i = 0; i < count; i++)
            {
                ReceivedFrame queued = serving.Queued.Dequeue();
                if (requestId is null || RequestId.Read(queued.Body, queued.Type) == requestId)
                {
                    returned.Add(queued);
                }
                else
                {
                    serving.Queued.Enqueue(queued);
                }
            }
        }

        if (requestId is not null && returned.Count == 0)
        {
            return false;
        }

        long[] requestIds = new long[returned.Count];
        for (int i = 0; i < returned.Count; i++)
        {
            requestIds[i] = RequestId.Read(returned[i].Body, returned[i].Type);
            returned[i].Dispose();
        }

        serving.Session.Send(Returned.Frame(cancelled: requestId is not null, requestIds), FrameType.Returned);
        return true;
    }

    /// <summary>Runs a chunk (returns -1), or takes a Shutdown: says goodbye and returns the exit code asked for.</summary>
    private static int Handle(Serving serving, ReceivedFrame frame)
    {
        using (frame)
        {
            if (frame.Type == FrameType.Shutdown)
            {
                // A WorkerProcess whose call failed asks for exit code 1, as Python's Process.exitcode; the pool sends no code.
                int exitCode = Shutdown.ReadExitCode(frame.Body, otherwise: WorkerExitCodes.Clean);
                s_leaving = true;
                lock (serving.Running)
                {
                    SendGoodbye(serving.Session, serving.Results.Writer);
                }

                serving.ExitCode = exitCode;
                return exitCode;
            }

            lock (serving.Running)
            {
                if (!RunChunk(serving.Table, serving.Session, frame, serving.Results, serving.Timed && frame.Type is FrameType.Run or FrameType.RunTraced, serving.Memory))
                {
                    // A timeout was declared: the parent is killing this process. Send nothing more.
                    Thread.Sleep(Timeout.Infinite);
                }
            }

            return -1;
        }
    }

    /// <summary>Runs one Run or Initialize frame and sends its reply. Returns <see langword="false"/> when the reply was withheld after a timeout.</summary>
    private static bool RunChunk(IWorkerTable table, WorkerSession session, ReceivedFrame frame, ChunkResultWriter results, bool timed, MemoryWatch? memory)
    {
        long startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        ItemClock.BeginChunk();
        WireWriter writer = results.Writer;
        (long requestId, ulong workerId, int count) = RunPrefix.Read(frame.Body, frame.Type, out string? traceParent, out int argumentsStart);
        ReadOnlyMemory<byte> arguments = frame.BodyMemory[argumentsStart..];

        writer.Reset();
        writer.Advance(ProtocolConstants.HeaderLength);
        RequestId.Write(writer.GetSpan(RequestId.Length), requestId);
        writer.Advance(RequestId.Length);
        int statsAt = writer.Position;
        writer.Advance(ChunkStats.Length);
        int bodyStart = writer.Position;
        CancellationToken cancellationToken = session.Begin(requestId, timed);
        FrameType replyType;
        using IDisposable? activity = WorkerTracing.StartChunk(traceParent);
        try
        {
            ChunkHost.Run(table, workerId, arguments, count, results, cancellationToken);

            // Puts the task posted without waiting must be in their queues before anyone sees the task finished.
            BeforeReply.Settle();
            replyType = FrameType.Result;
        }
        catch (Exception e)
        {
            writer.Position = bodyStart;
            RemoteExceptionInfo.From(e).Write(writer);
            replyType = FrameType.Fault;
        }
        finally
        {
            session.End();
        }

        // What the chunk cost goes back with its reply (the pool's insights), and whether this worker is over its memory limit.
        long chunkTicks = System.Diagnostics.Stopwatch.GetTimestamp() - startedAt;
        (long workTicks, int slowestItem, long slowestTicks) = ItemClock.EndChunk(chunkTicks, count);
        long overMemory = memory?.CheckAfterChunk() ?? 0;
        ChunkStats.FromStopwatch(chunkTicks, workTicks, slowestItem, slowestTicks, overMemory)
            .Write(writer.WrittenBuffer.Slice(statsAt, ChunkStats.Length));
        return session.Send(writer.WrittenBuffer, replyType);
    }

    /// <summary>The next frame; when the channel closes, ends the process (the parent is gone) unless the worker is leaving (then <see langword="null"/>).</summary>
    private static ReceivedFrame? Receive(WorkerSession session, WorkerWatchdog watchdog)
    {
        try
        {
            if (session.Transport.Receive() is { } frame)
            {
                return frame;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException)
        {
            if (e is InvalidDataException)
            {
                WorkerErrors.Write($"Parallel.Gen worker {Environment.ProcessId}: {e.Message}");
                WorkerExit.Exit(WorkerExitCodes.ProtocolError);
            }
        }

        // The parent closed the channel or died: nobody wants our results, and we must not outlive it.
        if (s_leaving)
        {
            // Leaving on purpose (after Shutdown): the thread that took it exits with the code it was asked for.
            return null;
        }

        watchdog.OnChannelClosed();
        WorkerExit.Exit(WorkerExitCodes.ParentGone);
        return null;
    }

    private static void SendGoodbye(WorkerSession session, WireWriter writer)
    {
        writer.Reset();
        writer.Advance(ProtocolConstants.HeaderLength);
        Shutdown.WriteGoodbye(writer);
        session.Send(writer.WrittenBuffer, FrameType.Goodbye);
        session.Transport.CompleteSending();
    }

    /// <summary>What the two serving threads share: whose turn it is to read, the lock around running a chunk, and the exit code once asked to leave.</summary>
    private sealed class Serving(IWorkerTable table, WorkerSession session, ChunkResultWriter results, WorkerWatchdog watchdog, bool timed)
    {
        private volatile int _exitCode = -1;

        public IWorkerTable Table { get; } = table;

        public WorkerSession Session { get; } = session;

        /// <summary>One result buffer, used under <see cref="Running"/>.</summary>
        public ChunkResultWriter Results { get; } = results;

        public WorkerWatchdog Watchdog { get; } = watchdog;

        public bool Timed { get; } = timed;

        /// <summary>MaxMemoryPerChild's check, when the pool set a limit.</summary>
        public MemoryWatch? Memory { get; init; }

        /// <summary>Held by the one thread reading the channel.</summary>
        public SemaphoreSlim ReadTurn { get; } = new(1, 1);

        /// <summary>Held while a chunk runs: a worker runs one chunk at a time, in the order they arrived.</summary>
        public Lock Running { get; } = new();

        /// <summary>Guards <see cref="Queued"/> and <see cref="Busy"/>.</summary>
        public Lock Pending { get; } = new();

        /// <summary>Chunks received while another ran, in arrival order; none of them started yet.</summary>
        public Queue<ReceivedFrame> Queued { get; } = new();

        /// <summary>A thread is running chunks (and takes the queued ones after it).</summary>
        public bool Busy { get; set; }

        /// <summary>Set when chunks must run on the main thread: the reading thread hands them over here (a delegate, not the collection, so the serving path names no type of System.Collections.Concurrent).</summary>
        public Action<ReceivedFrame>? Handoff { get; set; }

        public int ExitCode
        {
            get => _exitCode;
            set => _exitCode = value;
        }
    }
}
