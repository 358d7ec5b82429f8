using ParallelGen;

namespace ParallelGen.Tests;

/// <summary>Worker methods the primitives tests run in real processes (WorkerProcess children and pool workers).</summary>
public static class P
{
    [Worker]
    public static void SquareList(int[] xs, SharedArray<int> result, SharedValue<int> squareSum)
    {
        int sum = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            result[i] = xs[i] * xs[i];
            sum += result[i];
        }

        squareSum.Value = sum;
    }

    [Worker]
    public static int Square(int x) => x * x;

    [Worker]
    public static void Nothing()
    {
    }

    [Worker]
    public static int Sum8(int a, int b, int c, int d, int e, int f, int g, int h) => a + b + c + d + e + f + g + h;

    [Worker]
    public static async Task<string> EchoLaterAsync(string text)
    {
        await Task.Delay(10);
        return text;
    }

    [Worker]
    public static void Throw(string message) => throw new InvalidOperationException(message);

    [Worker]
    public static int ExitWith(int code)
    {
        Environment.Exit(code);
        return code;
    }

    [Worker]
    public static (int Pid, int ParentPid, bool IsWorker) Ids() => (Environment.ProcessId, WorkerContext.ParentProcessId, WorkerContext.IsWorker);

    [Worker]
    public static void SignalThenSleep(ProcessQueue<string> signal)
    {
        signal.Put("started");
        Thread.Sleep(Timeout.Infinite);
    }

    [Worker]
    public static void Increment(SharedValue<int> counter, int times)
    {
        for (int i = 0; i < times; i++)
        {
            using (counter.Lock())
            {
                counter.Value += 1;
            }
        }
    }

    [Worker]
    public static void HoldLockForever(SharedValue<int> value, ProcessQueue<string> signal)
    {
        _ = value.Lock();
        value.Value = 7;
        signal.Put("locked");
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Maps the array, waits for the go-ahead (by then its creator has disposed it), then writes and reads it.</summary>
    [Worker]
    public static int WriteAfterSignal(SharedArray<int> array, ProcessQueue<string> attached, ProcessQueue<string> go)
    {
        attached.Put("attached");
        go.Get(TimeSpan.FromSeconds(60));
        array[0] = 42;
        return array[0];
    }

    [Worker]
    public static int FillSlot(SharedArray<double> array, int index)
    {
        array[index] = index * 1.5;
        return Environment.ProcessId;
    }

    [Worker]
    public static decimal ReadDecimal(SharedValue<decimal> value) => value.Value;

    [Worker]
    public static void PutSquares(int[] xs, ProcessQueue<int> queue)
    {
        foreach (int x in xs)
        {
            queue.Put(x * x);
        }
    }

    [Worker]
    public static int PutSquare(ProcessQueue<int> queue, int x)
    {
        queue.Put(x * x);
        return x;
    }

    [Worker]
    public static int Produce(ProcessQueue<int> queue, int first, int count)
    {
        for (int i = first; i < first + count; i++)
        {
            queue.Put(i);
        }

        return Environment.ProcessId;
    }

    [Worker]
    public static (long Sum, int Pid) Consume(ProcessQueue<int> queue, int count)
    {
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += queue.Get(TimeSpan.FromSeconds(60));
        }

        return (sum, Environment.ProcessId);
    }

    [Worker]
    public static string GetWithTimeout(ProcessQueue<int> queue, int milliseconds)
    {
        try
        {
            return "got " + queue.Get(TimeSpan.FromMilliseconds(milliseconds));
        }
        catch (TimeoutException)
        {
            return "timeout";
        }
    }

    [Worker]
    public static int WaitForItem(ProcessQueue<int> queue, ProcessQueue<string> waiting)
    {
        waiting.Put("waiting");
        return queue.Get();
    }

    [Worker]
    public static void SendMessages(PipeEnd<string> end, int count)
    {
        for (int i = 0; i < count; i++)
        {
            end.Send("message " + i);
        }

        end.Send("END");
    }

    [Worker]
    public static void SendThenClose(PipeEnd<string> end, int count)
    {
        for (int i = 0; i < count; i++)
        {
            end.Send("message " + i);
        }

        end.Dispose();
    }

    [Worker]
    public static string ReceiveOne(PipeEnd<string> end) => end.Receive();

    [Worker]
    public static void HoldEndForever(PipeEnd<string> end, ProcessQueue<string> signal)
    {
        end.Send("hello");
        signal.Put("holding");
        Thread.Sleep(Timeout.Infinite);
    }

    [Worker]
    public static string Echo(PipeEnd<string> end)
    {
        string message = end.Receive();
        end.Send(message.ToUpperInvariant());
        return message;
    }

    [Worker]
    public static void AddRecord(ManagedList<string> records, string record) => records.Add(record);

    [Worker]
    public static string[] ReadRecords(ManagedList<string> records) => [.. records];

    [Worker]
    public static void StoreSquare(ManagedDictionary<int, int> returns, int key) => returns[key] = key * key;

    [Worker]
    public static int DrainManagerQueue(ProcessQueue<string> queue, int count)
    {
        int got = 0;
        for (int i = 0; i < count; i++)
        {
            _ = queue.Get(TimeSpan.FromSeconds(60));
            got++;
        }

        return got;
    }

    [Worker]
    public static int SumAndReport(SharedValue<int>[] values, (ProcessQueue<int> Queue, List<SharedArray<int>> Arrays) more)
    {
        int sum = values.Sum(v => v.Value) + more.Arrays.Sum(a => a.ToArray().Sum());
        more.Queue.Put(sum);
        return sum;
    }
}
