// Locks, events and barriers across processes (Python's multiprocessing.Lock, Event and Barrier): four
// workers wait for a start event, print one at a time under a lock, then meet at a barrier before going on.
//
//   Python                                   Parallel.Gen
//   lock = Lock()                            using var printLock = new ProcessLock();
//   with lock: print(...)                    using (printLock.Lock()) Console.WriteLine(...);
//   start = Event(); start.set()             using var start = new ProcessEvent(); start.Set();
//   start.wait()                             start.Wait();
//   barrier = Barrier(4); barrier.wait()     using var barrier = new ProcessBarrier(4); barrier.SignalAndWait();
using ParallelGen;

const int Workers = 4;
using var printLock = new ProcessLock();
using var start = new ProcessEvent();
using var barrier = new ProcessBarrier(Workers);
using var greeted = new SharedValue<int>(0);

WorkerProcess<int>[] workers = [.. Enumerable.Range(0, Workers).Select(i => WorkerProcess.Start(Jobs.Greet, printLock, start, barrier, greeted, i))];

using (printLock.Lock())
{
    Console.WriteLine($"Parent {Environment.ProcessId}: {Workers} workers started, all waiting for the start event");
}

start.Set();

int[] seen = new int[Workers];
for (int i = 0; i < Workers; i++)
{
    seen[i] = await workers[i].Completion;
}

// Past the barrier, every worker saw all four greetings: none could go on before the last one arrived.
Console.WriteLine($"Greetings each worker counted after the barrier: [{string.Join(", ", seen)}]");

// A lock times out like WaitHandle.WaitOne: Acquire(TimeSpan) is false while someone else holds it.
using (printLock.Lock())
{
    bool again = await Task.Run(() => printLock.Acquire(TimeSpan.FromMilliseconds(100)));
    Console.WriteLine($"Another thread tried the held lock for 100 ms: {(again ? "got it" : "timed out")}");
}

bool ok = seen.All(n => n == Workers) && greeted.Value == Workers && barrier.CurrentPhaseNumber == 1;
Console.WriteLine(ok ? "OK" : "MISMATCH");
return ok ? 0 : 1;

static class Jobs
{
    [Worker]
    public static int Greet(ProcessLock printLock, ProcessEvent start, ProcessBarrier barrier, SharedValue<int> greeted, int number)
    {
        start.Wait();

        // One process prints at a time: lines never interleave.
        using (printLock.Lock())
        {
            Console.WriteLine($"hello world {number} (process {Environment.ProcessId})");
            greeted.Value += 1;
        }

        barrier.SignalAndWait();
        return greeted.Value;
    }
}
