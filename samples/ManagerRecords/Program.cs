// Manager (source text items 4-5): a server process holds a list; other processes use it through proxies.
// p1 inserts a record, p2 prints every record: both see the same list, held by the manager.
using ParallelGen;

using var manager = Manager.Start();
Console.WriteLine($"Manager server process: {manager.ProcessId} (this process: {Environment.ProcessId})");

ManagedList<(string Name, int Score)> records = manager.List<(string Name, int Score)>();
records.Add(("Sam", 10));
records.Add(("Adam", 9));
records.Add(("Kevin", 9));

WorkerProcess p1 = WorkerProcess.Start(Records.Insert, ("Jeff", 8), records);
p1.Join();
WorkerProcess p2 = WorkerProcess.Start(Records.Print, records);
p2.Join();

Console.WriteLine($"The parent sees {records.Count} records; the last one: {records[^1].Name}");
bool ok = records.Count == 4 && records[3] == ("Jeff", 8) && p1.ExitCode == 0 && p2.ExitCode == 0;
Console.WriteLine(ok ? "OK" : "MISMATCH");
return ok ? 0 : 1;

static class Records
{
    [Worker]
    public static void Insert((string Name, int Score) record, ManagedList<(string Name, int Score)> records)
    {
        records.Add(record);
        Console.WriteLine($"New record added by process {Environment.ProcessId}!");
    }

    [Worker]
    public static void Print(ManagedList<(string Name, int Score)> records)
    {
        foreach ((string name, int score) in records)
        {
            Console.WriteLine($"Name: {name}, Score: {score}   (printed by process {Environment.ProcessId})");
        }
    }
}
