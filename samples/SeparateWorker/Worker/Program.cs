// The worker binary. When a pool starts it, the generated entry point runs the worker loop before this
// line is reached; started by hand, it only explains itself.
Console.Error.WriteLine("SeparateWorker.Worker is a Parallel.Gen worker binary: a ProcessPool starts it (ProcessPoolOptions.WorkerExecutable).");
return 2;
