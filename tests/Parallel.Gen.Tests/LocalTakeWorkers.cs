namespace ParallelGen.Tests;

/// <summary>Workers for <see cref="LocalTakeTests"/>: producers that stream into a queue or pipe the test process hosts.</summary>
public static class LocalTakeWorkers
{
    /// <summary>Puts 0..count-1 into <paramref name="queue"/> and 0..count-1 down <paramref name="end"/>, alternating, so posted requests to two objects interleave.</summary>
    [Worker]
    public static int PutAndSendInterleaved(ProcessQueue<int> queue, PipeEnd<int> end, int count)
    {
        using (end)
        {
            for (int i = 0; i < count; i++)
            {
                queue.Put(i);
                end.Send(i);

                // Now and then a run of one kind, so batches of several entries form too.
                if (i % 97 == 0)
                {
                    for (int k = 0; k < 5 && i + 1 < count; k++)
                    {
                        i++;
                        queue.Put(i);
                        end.Send(i);
                    }
                }
            }
        }

        return count;
    }

    /// <summary>Sends 0..count-1 down <paramref name="end"/>, then closes it.</summary>
    [Worker]
    public static void SendNumbersThenClose(PipeEnd<int> end, int count)
    {
        for (int i = 0; i < count; i++)
        {
            end.Send(i);
        }

        end.Dispose();
    }

    /// <summary>Puts 0..count-1, then completes the queue.</summary>
    [Worker]
    public static void PutNumbersThenComplete(ProcessQueue<int> queue, int count)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }

        queue.Complete();
    }

    /// <summary>Takes <paramref name="count"/> items, each with Get (no timeout), and returns them in the order taken.</summary>
    [Worker]
    public static int[] TakeMany(ProcessQueue<int> queue, ProcessQueue<string> started, int count)
    {
        started.Put("taking");
        int[] taken = new int[count];
        for (int i = 0; i < count; i++)
        {
            taken[i] = queue.Get();
        }

        return taken;
    }
}
