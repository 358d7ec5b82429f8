namespace ParallelGen.Tests.Reliability;

/// <summary>Initializer: a [Worker] each worker process runs once before its first task (Python's initializer/initargs).</summary>
public sealed class InitializerTests
{
    [Fact]
    public void Each_worker_runs_the_initializer_once_with_its_arguments_before_its_first_task()
    {
        var options = new ProcessPoolOptions { Processes = 2 };
        options.SetInitializer(R.Init, "hello", 7);
        using var pool = new ProcessPool(options);

        var states = pool.Map(R.Initialized, Enumerable.Range(0, 40), chunkSize: 1);

        Assert.All(states, s => Assert.Equal(("hello:7", 1), (s.State, s.Initializations)));
        Assert.Equal("R.Init(string, int)", options.Initializer?.Worker.Name);
    }

    [Fact]
    public void An_async_initializer_is_awaited_before_the_first_task()
    {
        var options = new ProcessPoolOptions { Processes = 1 };
        options.SetInitializer(R.InitSlowly, "async", 50);
        using var pool = new ProcessPool(options);

        Assert.Equal("async", pool.Apply(R.Initialized, 0).State);
    }

    [Fact]
    public void Without_an_initializer_nothing_runs_first()
    {
        using var pool = new ProcessPool(processes: 1);

        Assert.Equal((null, 0), (pool.Apply(R.Initialized, 0).State, pool.Apply(R.Initialized, 0).Initializations));
    }

    [Fact]
    public void A_failing_initializer_fails_calls_with_WorkerStartException_carrying_its_exception()
    {
        var options = new ProcessPoolOptions { Processes = 1 };
        options.SetInitializer(R.InitFails, "no configuration found");
        using var pool = new ProcessPool(options);

        var error = Assert.Throws<WorkerStartException>(() => pool.Apply(W.Add, 1, 2));

        Assert.Contains("the initializer R.InitFails(string) threw System.InvalidOperationException", error.Message, StringComparison.Ordinal);
        Assert.Contains("no configuration found", error.Message, StringComparison.Ordinal);
        var remote = Assert.IsType<WorkerException>(error.InnerException);
        Assert.Equal("System.InvalidOperationException", remote.RemoteTypeName);
        Assert.Equal("no configuration found", remote.Message);
    }

    [Fact]
    public void An_initializer_passed_as_a_delegate_variable_fails_clearly()
    {
        var options = new ProcessPoolOptions();
        Action<string> initializer = R.InitFails;

        // PG0001 reports this at compile time; suppressed to prove the run-time fallback is clear too.
#pragma warning disable PG0001
        var error = Assert.Throws<InvalidOperationException>(() => options.SetInitializer(initializer, "x"));
#pragma warning restore PG0001

        Assert.Contains("without the Parallel.Gen source generator", error.Message, StringComparison.Ordinal);
    }
}
