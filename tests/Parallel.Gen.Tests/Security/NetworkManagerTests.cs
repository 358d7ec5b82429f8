using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;

namespace ParallelGen.Tests.Security;

/// <summary>
/// A manager exposed on TCP, as a hostile network peer (without the key) and a hostile client (with it) would try it:
/// a flood of silent connections, a slow talker, absurd requests, and proxies that would carry the key.
/// </summary>
public sealed class NetworkManagerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void Three_hundred_silent_connections_cost_no_thread_each_and_a_keyed_client_is_still_served()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var manager = Manager.Start(new ManagerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), AuthKey = key });
        var endpoint = (IPEndPoint)manager.NetworkEndpoint!;
        manager.List<int>("served").Add(7);
        int before = ThreadsOf(manager.ProcessId);
        var silent = new List<Socket>();
        try
        {
            for (int i = 0; i < 300; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                silent.Add(socket);
                socket.Connect(endpoint);
            }

            // Every one of them has been accepted (each got its challenge) while the manager's thread count stayed flat.
            byte[] challenge = new byte[37];
            foreach (Socket socket in silent)
            {
                socket.ReceiveTimeout = 30_000;
                Assert.Equal(37, ReceiveExactly(socket, challenge));
            }

            int during = ThreadsOf(manager.ProcessId);
            TestContext.Current.TestOutputHelper?.WriteLine($"manager threads: {before} before, {during} with 300 silent connections");
            Assert.True(during < before + 40, $"The manager went from {before} to {during} threads with 300 unauthenticated connections open: they should not hold a thread each.");

            using Manager client = Manager.Connect(endpoint, key);
            Assert.Equal([7], client.List<int>("served").ToArray());
        }
        finally
        {
            foreach (Socket socket in silent)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public void A_slow_talker_is_dropped_within_the_handshake_deadline()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var manager = Manager.Start(new ManagerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), AuthKey = key });
        using var talker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        talker.Connect(manager.NetworkEndpoint!);
        var clock = Stopwatch.StartNew();
        byte[] challenge = new byte[37];
        talker.ReceiveTimeout = 30_000;
        Assert.Equal(37, ReceiveExactly(talker, challenge));

        // A well-formed answer (a header announcing 68 bytes, then the bytes), one byte every 400 ms: 30 s in all if allowed.
        byte[] answer = new byte[5 + 68];
        BinaryPrimitives.WriteInt32LittleEndian(answer, 69);
        answer[4] = (byte)Protocol.FrameType.AuthResponse;
        TimeSpan droppedAfter = TimeSpan.Zero;
        for (int i = 0; i < answer.Length; i++)
        {
            try
            {
                talker.Send(answer.AsSpan(i, 1));
                if (talker.Poll(400_000, SelectMode.SelectRead) && talker.Receive(new byte[1]) == 0)
                {
                    droppedAfter = clock.Elapsed;
                    break;
                }
            }
            catch (SocketException)
            {
                droppedAfter = clock.Elapsed;
                break;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"slow talker dropped after {droppedAfter.TotalSeconds:N1} s");
        Assert.True(droppedAfter > TimeSpan.Zero, "The manager kept a connection that sent one byte every 400 ms through the whole handshake.");
        Assert.InRange(droppedAfter, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15));

        // And it still serves keyed clients.
        using Manager client = Manager.Connect(manager.NetworkEndpoint!, key);
        client.List<int>("still").Add(1);
        Assert.Single(client.List<int>("still"));
    }

    [Fact]
    public void An_absurd_array_request_is_refused_with_a_clear_error_and_the_manager_keeps_serving()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var manager = Manager.Start(new ManagerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), AuthKey = key });
        using Manager client = Manager.Connect(manager.NetworkEndpoint!, key);

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => client.Array<long>(int.MaxValue));
        Assert.Contains("16,777,216", refused.Message, StringComparison.Ordinal);
        Assert.Contains("2,147,483,647", refused.Message, StringComparison.Ordinal);

        var longName = Assert.Throws<ArgumentOutOfRangeException>(() => client.List<int>(new string('n', 10_000)));
        Assert.Contains("256", longName.Message, StringComparison.Ordinal);

        // The same connection, and the manager, carry on.
        ManagedArray<long> fine = client.Array<long>(1000);
        fine[999] = 5;
        Assert.Equal(5, fine[999]);
        Assert.False(Process.GetProcessById(manager.ProcessId).HasExited);
    }

    [Fact]
    public async Task A_keyed_proxy_never_carries_the_key_and_a_process_finds_the_key_it_was_given()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var manager = Manager.Start(new ManagerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), AuthKey = key });
        var bound = (IPEndPoint)manager.NetworkEndpoint!;
        string endpoint = $"{bound.Address}:{bound.Port.ToString(CultureInfo.InvariantCulture)}";
        using Manager client = Manager.Connect(endpoint, key);
        SharedList<int> list = client.List<int>("numbers");
        list.Add(1);
        list.Add(2);

        // What a proxy puts on the wire (into a queue, through the manager, to a worker) holds the endpoint, not the key.
        using var writer = new Serialization.WireWriter();
        list.Handle.Write(writer);
        byte[] wire = writer.WrittenSpan.ToArray();
        Assert.True(wire.AsSpan().IndexOf(key) < 0, "A serialized proxy of a TCP manager's list contains the manager's key.");
        Assert.True(wire.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(endpoint)) >= 0);

        // A process that was never given the key can't use the proxy, and is told how to fix it.
        WorkerProcess<string> keyless = WorkerProcess.Start(SecurityWorkers.CountThroughProxy, list, endpoint, Array.Empty<byte>());
        string refused = await keyless.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
        Assert.StartsWith(nameof(AuthenticationException), refused, StringComparison.Ordinal);
        Assert.Contains($"Manager.Connect(\"{endpoint}\", key)", refused, StringComparison.Ordinal);

        // One that connected with the key uses the same proxy.
        WorkerProcess<string> keyed = WorkerProcess.Start(SecurityWorkers.CountThroughProxy, list, endpoint, key);
        Assert.Equal("2", await keyed.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
    }

    private static int ReceiveExactly(Socket socket, byte[] buffer)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = socket.Receive(buffer.AsSpan(filled));
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    /// <summary>The kernel's count of the process's threads.</summary>
    private static int ThreadsOf(int pid)
    {
        string line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").Single(l => l.StartsWith("Threads:", StringComparison.Ordinal));
        return int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}
