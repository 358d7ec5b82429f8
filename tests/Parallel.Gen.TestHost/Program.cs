using ParallelGen;
using ParallelGen.TestHost;

// Modes (the first argument):
//   orphans  starts a pool of two workers kept busy (one spinning on the CPU, one blocked), prints
//            "endpoint <directory>", and waits to be killed; each worker prints "busy <pid>" once inside its task.
//   lines [prefix]  two workers write lines in pieces at the same time (PrefixWorkerOutput when "prefix"), then "done".
//   ring-echo <socket>  accepts the shared-memory transport offered on a Unix socket and echoes frames back.
//   console  runs a worker that writes a line to Console.Out and one to Console.Error, then exits cleanly.
switch (args.FirstOrDefault())
{
    case "orphans":
        using (var pool = new ProcessPool(processes: 2))
        {
            Console.WriteLine($"endpoint {pool.EndpointDirectory}");
            Task<int> spinning = pool.ApplyAsync(HostWorkers.Spin, 0);
            Task<int> blocked = pool.ApplyAsync(HostWorkers.Block, 0);
            await Task.WhenAll(spinning, blocked);
        }

        return 0;
    case "console":
        using (var pool = new ProcessPool(processes: 1))
        {
            int length = pool.Apply(HostWorkers.Write, args.ElementAtOrDefault(1) ?? "marker");
            Console.WriteLine($"done {length}");
        }

        return 0;
    case "lines":
        using (var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, PrefixWorkerOutput = args.ElementAtOrDefault(1) == "prefix" }))
        {
            pool.Map(HostWorkers.WriteInPieces, Enumerable.Range(0, 8), chunkSize: 1);
            await pool.DisposeAsync();
            Console.WriteLine("done");
        }

        return 0;
    case "ring-echo":
        return RingEcho.Run(args[1]);
    default:
        Console.Error.WriteLine("usage: Parallel.Gen.TestHost orphans | console <marker> | lines [prefix] | ring-echo <socket>");
        return 2;
}
