using System.Runtime.InteropServices;

namespace ParallelGen.Tests;

/// <summary>Workers for the bounded, joinable and completable queue, one-way pipe and process lifecycle tests.</summary>
public static class Q
{
    [Worker]
    public static int PutAll(ProcessQueue<int> queue, int count)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }

        return count;
    }

    [Worker]
    public static void PutThenComplete(ProcessQueue<int> queue, int count)
    {
        for (int i = 1; i <= count; i++)
        {
            queue.Put(i);
        }

        queue.Complete();
    }

    /// <summary>Takes until the queue is completed and empty, saying first that it is about to wait; returns how many it took.</summary>
    [Worker]
    public static int TakeUntilCompleted(ProcessQueue<int> queue, ProcessQueue<string> waiting)
    {
        waiting.Put("waiting");
        int taken = 0;
        while (true)
        {
            try
            {
                queue.Get();
                taken++;
            }
            catch (InvalidOperationException)
            {
                return taken;
            }
        }
    }

    [Worker]
    public static async Task<long> SumAllAsync(ProcessQueue<int> queue)
    {
        long sum = 0;
        await foreach (int item in queue.ReadAllAsync())
        {
            sum += item;
        }

        return sum;
    }

    [Worker]
    public static async Task<string> GetAsyncCancelledAfter(ProcessQueue<int> queue, int milliseconds)
    {
        using var cancel = new CancellationTokenSource(milliseconds);
        try
        {
            return "got " + await queue.GetAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return "cancelled";
        }
    }

    /// <summary>A joinable queue's consumer: records each job in <paramref name="done"/> before marking it done, until the queue is completed.</summary>
    [Worker]
    public static int WorkAndMarkDone(JoinableProcessQueue<int> jobs, ProcessQueue<int> done)
    {
        int handled = 0;
        foreach (int job in jobs.GetConsumingEnumerable())
        {
            done.Put(job * 10);
            jobs.TaskDone();
            handled++;
        }

        return handled;
    }

    [Worker]
    public static string SendOnReceiveEnd(PipeEnd<string> end)
    {
        try
        {
            end.Send("nope");
            return "sent";
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    [Worker]
    public static async Task<string> EchoAsync(PipeEnd<string> end)
    {
        string message = await end.ReceiveAsync();
        await end.SendAsync(message + "!");
        return message;
    }

    [Worker]
    public static void PutOne(ProcessQueue<string> queue, string item) => queue.Put(item);

    [Worker]
    public static void SendOne(PipeEnd<string> end, string message) => end.Send(message);

    /// <summary>Ignores SIGTERM (as a program with its own handler might), so only the kill after the grace period stops it.</summary>
    [Worker]
    public static void IgnoreTerminateThenSleep(ProcessQueue<string> signal)
    {
        using var registration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = true);
        signal.Put("ignoring SIGTERM");
        Thread.Sleep(Timeout.Infinite);
    }

    [Worker]
    public static void Fill8(SharedArray<int> slots, int a, int b, int c, int d, int e, int f, int g)
    {
        int[] values = [a, b, c, d, e, f, g];
        for (int i = 0; i < values.Length; i++)
        {
            slots[i] = values[i];
        }
    }

    [Worker]
    public static int Pid() => Environment.ProcessId;
}
