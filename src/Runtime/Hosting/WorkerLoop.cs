using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Hosting;

/// <summary>
/// The worker side of a channel: connect, prove the secret, then run chunks one after another and
/// send their results back. A dedicated reader thread watches the channel so that a busy task can't
/// stop the worker from noticing that its parent is gone.
/// </summary>
internal static class WorkerLoop
{
    /// <summary>Set once the loop is leaving on purpose: the channel it then closes must not make the reader thread exit with "parent gone".</summary>
    private static volatile bool s_leaving;

    public static int Run(IWorkerTable table)
    {
        WorkerEnvironment environment = WorkerContext.Environment!;
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

        var inbox = new BlockingCollection<ReceivedFrame>();
        var reader = new Thread(() => ReadFrames(channel, inbox)) { IsBackground = true, Name = "Parallel.Gen channel reader" };
        reader.Start();

        var results = new ChunkResultWriter(writer);
        foreach (ReceivedFrame frame in inbox.GetConsumingEnumerable())
        {
            using (frame)
            {
                if (frame.Type == FrameType.Shutdown)
                {
                    SendGoodbye(channel, writer);

                    // A WorkerProcess whose call failed asks for exit code 1, as Python's Process.exitcode; the pool sends no code.
                    s_leaving = true;
                    return frame.Length > 0 ? frame.Body[0] : WorkerExitCodes.Clean;
                }

                RunChunk(table, channel, frame, results);
            }
        }

        return WorkerExitCodes.ParentGone;
    }

    private static void RunChunk(IWorkerTable table, FrameChannel channel, ReceivedFrame frame, ChunkResultWriter results)
    {
        WireWriter writer = results.Writer;
        var header = new WireReader(frame.Body);
        long requestId = header.ReadInt64();
        ulong workerId = header.ReadUnmanaged<ulong>();
        int count = header.ReadInt32();
        int argumentsStart = header.Position;
        ReadOnlyMemory<byte> arguments = frame.BodyMemory[argumentsStart..];

        writer.Reset();
        writer.Advance(ProtocolConstants.HeaderLength);
        writer.WriteInt64(requestId);
        int bodyStart = writer.Position;
        try
        {
            // Every item with arguments takes at least one byte, so a larger count is corrupt (and must not size an allocation).
            if (count < 0 || count > arguments.Length + 1)
            {
                throw new WireFormatException($"Chunk claims {count:N0} items in {arguments.Length:N0} bytes of arguments.");
            }

            results.Begin();
            if (!table.TryRun(workerId, arguments, count, results, CancellationToken.None, out ValueTask completion))
            {
                throw new UnknownWorkerException(workerId, table.BuildId);
            }

            if (!completion.IsCompletedSuccessfully)
            {
                completion.AsTask().GetAwaiter().GetResult();
            }

            results.Complete();
            channel.SendPrepared(writer.WrittenBuffer, FrameType.Result);
        }
        catch (Exception e)
        {
            writer.Position = bodyStart;
            RemoteExceptionInfo.From(e).Write(writer);
            channel.SendPrepared(writer.WrittenBuffer, FrameType.Fault);
        }
    }

    private static void ReadFrames(FrameChannel channel, BlockingCollection<ReceivedFrame> inbox)
    {
        try
        {
            while (channel.Receive() is { } frame)
            {
                if (frame.Type is FrameType.Run or FrameType.Shutdown)
                {
                    inbox.Add(frame);
                }
                else
                {
                    frame.Dispose();
                    throw new InvalidDataException($"Unexpected {frame.Type} frame from the pool.");
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException)
        {
            if (e is InvalidDataException)
            {
                Console.Error.WriteLine($"Parallel.Gen worker {Environment.ProcessId}: {e.Message}");
                Environment.Exit(WorkerExitCodes.ProtocolError);
            }
        }

        // The parent closed the channel or died: nobody wants our results, and we must not outlive it.
        if (!s_leaving)
        {
            Environment.Exit(WorkerExitCodes.ParentGone);
        }
    }

    private static void SendGoodbye(FrameChannel channel, WireWriter writer)
    {
        writer.Reset();
        writer.Advance(ProtocolConstants.HeaderLength);
        writer.WriteByte(0);
        channel.SendPrepared(writer.WrittenBuffer, FrameType.Goodbye);
        channel.Socket.Shutdown(SocketShutdown.Send);
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
