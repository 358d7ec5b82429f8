// A JIT host (think plugin host or ASP.NET app) that runs its workers in a separate, Native AOT worker binary.
//   dotnet publish samples/SeparateWorker/Worker -r linux-x64 -c Release -o out/worker
//   dotnet run --project samples/SeparateWorker/Host -- out/worker/SeparateWorker.Worker
using System.Runtime.CompilerServices;
using ParallelGen;
using SeparateWorker.Contracts;

string workerBinary = args.Length > 0 ? Path.GetFullPath(args[0]) : throw new ArgumentException("Pass the path of the published worker binary.");
using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, WorkerExecutable = workerBinary });

var who = pool.Map(Imaging.WhoAmI, [0, 1, 2, 3], chunkSize: 1).Distinct().ToArray();
Console.WriteLine($"host:   {Environment.ProcessPath} ({(RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "Native AOT")})");
foreach (var w in who)
{
    Console.WriteLine($"worker: {w.ProcessPath} (pid {w.Pid}, {(w.NativeAot ? "Native AOT" : "JIT")})");
}

byte[][] rows = [.. Enumerable.Range(0, 256).Select(r => Enumerable.Range(0, 1024).Select(c => (byte)((r * c) % 251)).ToArray())];
byte[][] blurred = pool.Map(Imaging.BlurRow, rows);
bool same = blurred.Zip(rows, (b, r) => b.SequenceEqual(Imaging.BlurRow(r))).All(x => x);
Console.WriteLine($"blurred {blurred.Length} rows in the worker binary: {(same ? "OK" : "MISMATCH")}");
return same && who.All(w => w.ProcessPath == workerBinary) ? 0 : 1;
