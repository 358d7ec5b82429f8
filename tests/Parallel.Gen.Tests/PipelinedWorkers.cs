namespace ParallelGen.Tests;

/// <summary>Workers for the pipelined put and send tests: producers that return (or exit) right after putting.</summary>
public static class Pipelined
{
    /// <summary>Puts <paramref name="count"/> items tagged with the producer (tag * 1,000,000 + i), so the reader can check each producer's order.</summary>
    [Worker]
    public static int PutTagged(ProcessQueue<int> queue, int tag, int count)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Put((tag * 1_000_000) + i);
        }

        return count;
    }

    /// <summary>Puts into a queue that was completed, then says where the refusal surfaced: at the Put, or at Flush.</summary>
    [Worker]
    public static string PutIntoCompletedThenFlush(ProcessQueue<int> queue)
    {
        try
        {
            queue.Put(1);
        }
        catch (InvalidOperationException e)
        {
            return "put threw: " + e.Message;
        }

        try
        {
            queue.Flush();
            return "nothing threw";
        }
        catch (InvalidOperationException e)
        {
            return "flush threw: " + e.Message;
        }
    }

    /// <summary>Puts into a queue that was completed and returns at once: the task must fail with the refusal, not succeed.</summary>
    [Worker]
    public static int PutIntoCompletedAndReturn(ProcessQueue<int> queue)
    {
        queue.Put(1);
        return 1;
    }

    /// <summary>Puts, then ends the process at once (a normal exit, without returning a result): the exit must wait for the puts.</summary>
    [Worker]
    public static void PutAndExit(ProcessQueue<int> queue, int count)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }

        Environment.Exit(0);
    }

    [Worker]
    public static int SendNumbers(PipeEnd<int> end, int count)
    {
        for (int i = 0; i < count; i++)
        {
            end.Send(i);
        }

        return count;
    }
}
