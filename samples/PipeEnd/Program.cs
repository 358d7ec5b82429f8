// Pipe (source text items 6, 8, 9): ProcessPipe.Create returns two connected ends. A sender process sends
// messages until "END"; a receiver process prints them. Two processes using one end at the same time would
// steal each other's messages (Python warns of corruption): Parallel.Gen refuses with a clear error instead.
using ParallelGen;

string[] msgs = ["hello", "hey", "hru?", "END"];
var (parentConn, childConn) = ProcessPipe.Create<string>();
using (parentConn)
using (childConn)
{
    WorkerProcess p1 = WorkerProcess.Start(Chat.Sender, parentConn, msgs);
    WorkerProcess<int> p2 = WorkerProcess.Start(Chat.Receiver, childConn);
    p1.Join();
    int received = await p2.Completion;
    Console.WriteLine($"Receiver got {received} messages before END");

    // Item 9: a child blocks receiving on childConn; this process then tries the same end and is refused.
    WorkerProcess<string> reader = WorkerProcess.Start(Chat.ReceiveOne, childConn);
    string? refusal = null;
    var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
    while (refusal is null && DateTime.UtcNow < deadline)
    {
        try
        {
            // Without waiting: a waiting receive here would make this process the one using the end.
            childConn.TryReceive(out _);
            Thread.Sleep(20);
        }
        catch (InvalidOperationException e)
        {
            refusal = e.Message;
        }
    }

    Console.WriteLine($"Using an end another process is receiving on: {refusal?[..refusal.IndexOf(':', StringComparison.Ordinal)]}");
    parentConn.Send("for the reader only");
    Console.WriteLine($"The reader still got its message: {await reader.Completion}");

    bool ok = received == 3 && refusal is not null;
    Console.WriteLine(ok ? "OK" : "MISMATCH");
    return ok ? 0 : 1;
}

static class Chat
{
    [Worker]
    public static void Sender(PipeEnd<string> conn, string[] msgs)
    {
        foreach (string msg in msgs)
        {
            conn.Send(msg);
            Console.WriteLine($"Sent the message: {msg}");
        }

        conn.Dispose();
    }

    [Worker]
    public static int Receiver(PipeEnd<string> conn)
    {
        int count = 0;
        while (true)
        {
            string msg = conn.Receive();
            if (msg == "END")
            {
                return count;
            }

            count++;
            Console.WriteLine($"Received the message: {msg}");
        }
    }

    [Worker]
    public static string ReceiveOne(PipeEnd<string> conn) => conn.Receive();
}
