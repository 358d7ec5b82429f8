using SeparateWorker.Contracts;

namespace ParallelGen.Tests;

/// <summary>ProcessPoolOptions.WorkerExecutable: workers run in a separate binary built from a shared contract library.</summary>
public sealed class WorkerExecutableTests
{
    [Fact]
    public void A_separate_worker_binary_runs_the_workers_of_the_libraries_it_references()
    {
        string worker = RepoPaths.Executable("samples/SeparateWorker/Worker", "SeparateWorker.Worker");
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, WorkerExecutable = worker });

        var who = pool.Map(Imaging.WhoAmI, [0, 1, 2, 3], chunkSize: 1);
        byte[] blurred = pool.Apply(Imaging.BlurRow, new byte[] { 0, 4, 8 });

        Assert.All(who, w => Assert.Equal(worker, w.ProcessPath));
        Assert.Equal(Imaging.BlurRow([0, 4, 8]), blurred);
    }

    [Fact]
    public void A_worker_binary_without_the_worker_reports_version_skew_naming_both_builds()
    {
        string other = RepoPaths.Executable("samples/QuickStart", "QuickStart");
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, WorkerExecutable = other });

        var error = Assert.Throws<WorkerException>(() => pool.Apply(W.Add, 1, 2));

        Assert.Contains("Version skew", error.Message, StringComparison.Ordinal);
        Assert.Contains("W.Add(int, int)", error.Message, StringComparison.Ordinal);
        Assert.Contains("QuickStart/", error.Message, StringComparison.Ordinal);
        Assert.Contains("Parallel.Gen.Tests/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_worker_binary_is_reported_at_construction()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new ProcessPool(new ProcessPoolOptions { Processes = 1, WorkerExecutable = "no/such/worker" }));

        Assert.Contains("WorkerExecutable", error.Message, StringComparison.Ordinal);
    }
}
