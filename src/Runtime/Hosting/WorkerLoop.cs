using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Hosting;

/// <summary>
/// The worker side of a channel: connect, prove the secret, then run chunks one after another and send their
/// results back. Three threads: the main thread runs chunks; a reader thread takes frames off the channel (so a
/// Cancel reaches a busy chunk, and a closed channel ends the process even while a task runs); a watchdog
/// (<see cref="WorkerWatchdog"/>) watches the parent pid and the task timeout.
/// </summary>
internal static class WorkerLoop
{
    /// <summary>Set once the loop is leaving on purpose: the channel it then closes must not make the reader thread exit with "parent gone".</summary>
    private static volatile bool s_leaving;

    public static int Run(IWorkerTable table)
    {
        WorkerEnvironment environment = WorkerContext.Environment!;

        // First of all, so that even a worker stuck in start-up never outlives its parent.
        WorkerWatchdog watchdog = WorkerWatchdog.Start(environment);
        byte[] secret;
        try
        {
            secret = ReadSecret();
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException)
        {
            Console.Error.WriteLine($"Parallel.Gen worker {Environment.ProcessId}: could not read the pool's secret from stdin: {e.Message}");
            return WorkerExitCodes.HandshakeFailed;
        }

        WorkerEnvironment.ScrubForChildren();

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(environment.Endpoint));
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"Parallel.Gen worker {Environment.ProcessId}: could not connect to its pool at {environment.Endpoint}: {e.Message}");
            return WorkerExitCodes.HandshakeFailed;
        }

        using var channel = new FrameChannel(socket);
        using var writer = new WireWriter(4096);
        writer.Advance(ProtocolConstants.HeaderLength);
        new Hello(secret, Environment.ProcessId, environment.WorkerIndex, table.BuildId).Write(writer);
        channel.SendPrepared(writer.WrittenBuffer, FrameType.Hello);
        CryptographicOperations.ZeroMemory(secret);

        var session = new WorkerSession(channel);
        watchdog.Attach(session);
        var inbox = new BlockingCollection<ReceivedFrame>();
        var reader = new Thread(() => ReadFrames(session, inbox, watchdog)) { IsBackground = true, Name = "Parallel.Gen channel reader" };
        reader.Start();

        var results = new ChunkResultWriter(writer);
        bool timed = environment.TaskTimeout is not null;
        foreach (ReceivedFrame frame in inbox.GetConsumingEnumerable())
        {
            using (frame)
            {
                if (frame.Type == FrameType.Shutdown)
                {
                    SendGoodbye(session, writer);

                    // A WorkerProcess whose call failed asks for exit code 1, as Python's Process.exitcode; the pool sends no code.
                    s_leaving = true;
                    return frame.Length > 0 ? frame.Body[0] : WorkerExitCodes.Clean;
                }

                if (!RunChunk(table, session, frame, results, timed && frame.Type is FrameType.Run or FrameType.RunTraced))
                {
                    // A timeout was declared: the parent is killing this process. Send nothing more.
                    Thread.Sleep(Timeout.Infinite);
                }
            }
        }

        return WorkerExitCodes.ParentGone;
    }

    /// <summary>Runs one Run or Initialize frame and sends its reply. Returns <see langword="false"/> when the reply was withheld after a timeout.</summary>
    private static bool RunChunk(IWorkerTable table, WorkerSession session, ReceivedFrame frame, ChunkResultWriter results, bool timed)
    {
        WireWriter writer = results.Writer;
        var header = new WireReader(frame.Body);
        long requestId = header.ReadInt64();
        ulong workerId = header.ReadUnmanaged<ulong>();
        int count = header.ReadInt32();
        string? traceParent = null;
        if (frame.Type == FrameType.RunTraced)
        {
            int length = header.ReadByte();
            traceParent = System.Text.Encoding.ASCII.GetString(header.ReadBytes(length, "traceparent"));
        }

        int argumentsStart = header.Position;
        ReadOnlyMemory<byte> arguments = frame.BodyMemory[argumentsStart..];

        writer.Reset();
        writer.Advance(ProtocolConstants.HeaderLength);
        writer.WriteInt64(requestId);
        int bodyStart = writer.Position;
        CancellationToken cancellationToken = session.Begin(requestId, timed);
        FrameType replyType;
        using System.Diagnostics.Activity? activity = WorkerTracing.StartChunk(traceParent);
        try
        {
            ChunkHost.Run(table, workerId, arguments, count, results, cancellationToken);
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

        return session.Send(writer.WrittenBuffer, replyType);
    }

    private static void ReadFrames(WorkerSession session, BlockingCollection<ReceivedFrame> inbox, WorkerWatchdog watchdog)
    {
        try
        {
            while (session.Channel.Receive() is { } frame)
            {
                switch (frame.Type)
                {
                    case FrameType.Run or FrameType.RunTraced or FrameType.Initialize or FrameType.Shutdown:
                        inbox.Add(frame);
                        break;
                    case FrameType.Cancel when frame.Length == 8:
                        // Straight to the running chunk: the main thread is busy running it.
                        long requestId = BinaryPrimitives.ReadInt64LittleEndian(frame.Body);
                        frame.Dispose();
                        session.Cancel(requestId);
                        break;
                    default:
                        frame.Dispose();
                        throw new InvalidDataException($"Unexpected {frame.Type} frame of {frame.Length} bytes from the pool.");
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException)
        {
            if (e is InvalidDataException)
            {
                Console.Error.WriteLine($"Parallel.Gen worker {Environment.ProcessId}: {e.Message}");
                WorkerExit.Exit(WorkerExitCodes.ProtocolError);
            }
        }

        // The parent closed the channel or died: nobody wants our results, and we must not outlive it.
        if (s_leaving)
        {
            // Leaving on purpose (after Shutdown): the main thread exits with the code it was asked for.
            return;
        }

        watchdog.OnChannelClosed();
        WorkerExit.Exit(WorkerExitCodes.ParentGone);
    }

    private static void SendGoodbye(WorkerSession session, WireWriter writer)
    {
        writer.Reset();
        writer.Advance(ProtocolConstants.HeaderLength);
        writer.WriteByte(0);
        session.Send(writer.WrittenBuffer, FrameType.Goodbye);
        session.Channel.Socket.Shutdown(SocketShutdown.Send);
    }

    private static byte[] ReadSecret()
    {
        string line = Console.In.ReadLine() ?? throw new InvalidDataException("stdin closed before the secret arrived");
        byte[] secret = Convert.FromBase64String(line.Trim());
        if (secret.Length != ProtocolConstants.SecretLength)
        {
            throw new InvalidDataException($"the secret has {secret.Length} bytes instead of {ProtocolConstants.SecretLength}");
        }

        return secret;
    }
}
