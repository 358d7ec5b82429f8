// Return values (source text item 10): Python shares a Manager().dict() that each worker writes
// return_dict[procnum] into. That works here too, but a worker's return value can also come back directly:
// WorkerProcess<T>.Completion, or a pool's Map.
using ParallelGen;

// The Manager way: each process writes its result into a shared dictionary.
using var manager = Manager.Start();
ManagedDictionary<int, string> returnDict = manager.Dictionary<int, string>();
WorkerProcess[] jobs = [.. Enumerable.Range(0, 5).Select(procnum => WorkerProcess.Start(Work.StoreResult, procnum, returnDict))];
foreach (WorkerProcess job in jobs)
{
    job.Join();
}

string[] viaDictionary = [.. returnDict.ToDictionary().OrderBy(entry => entry.Key).Select(entry => entry.Value)];
Console.WriteLine($"Via a Manager dictionary: [{string.Join(", ", viaDictionary)}]");

// The direct way: the result comes back with the process.
WorkerProcess<string>[] direct = [.. Enumerable.Range(0, 5).Select(procnum => WorkerProcess.Start(Work.Result, procnum))];
string[] viaCompletion = await Task.WhenAll(direct.Select(p => p.Completion));
Console.WriteLine($"Via WorkerProcess<string>.Completion: [{string.Join(", ", viaCompletion)}]");

// Or let a pool do it: results in input order.
using var pool = new ProcessPool(2);
string[] viaMap = pool.Map(Work.Result, Enumerable.Range(0, 5));
Console.WriteLine($"Via ProcessPool.Map: [{string.Join(", ", viaMap)}]");

bool ok = viaDictionary.SequenceEqual(viaCompletion) && viaCompletion.SequenceEqual(viaMap) && viaMap.Length == 5;
Console.WriteLine(ok ? "OK" : "MISMATCH");
return ok ? 0 : 1;

static class Work
{
    [Worker]
    public static void StoreResult(int procnum, ManagedDictionary<int, string> returnDict) => returnDict[procnum] = Result(procnum);

    [Worker]
    public static string Result(int procnum) => $"worker {procnum} says {procnum * procnum}";
}
