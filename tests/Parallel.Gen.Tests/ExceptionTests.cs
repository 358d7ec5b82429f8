namespace ParallelGen.Tests;

[Collection(SharedPoolDefinition.Name)]
public sealed class ExceptionTests(SharedPoolFixture fixture)
{
    private ProcessPool Pool => fixture.Pool;

    [Fact]
    public void A_worker_exception_reaches_the_caller_with_remote_type_message_and_stack()
    {
        var error = Assert.Throws<WorkerException>(() => Pool.Apply(W.FailOn, 13));

        Assert.Equal("System.InvalidOperationException", error.RemoteTypeName);
        Assert.Equal("item 13 is not allowed", error.Message);
        Assert.Contains("FailOn", error.RemoteStackTrace, StringComparison.Ordinal);
        Assert.Equal("W.FailOn(int)", error.WorkerName);
        Assert.NotEqual(Environment.ProcessId, error.WorkerProcessId);
        Assert.Contains("System.InvalidOperationException: item 13 is not allowed", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_pool_keeps_working_after_a_worker_exception()
    {
        Assert.Throws<WorkerException>(() => Pool.Apply(W.FailOn, 3));

        Assert.Equal(2, Pool.Apply(W.Add, 1, 1));
        Assert.Equal([1L, 4L], Pool.Map(W.Square, [1, 2]));
    }

    [Fact]
    public void Map_raises_the_lowest_failing_item_after_every_item_ran()
    {
        string directory = Directory.CreateTempSubdirectory("pgen-test-").FullName;
        try
        {
            var items = Enumerable.Range(0, 40).Select(i => (directory, i)).ToArray();

            var error = Assert.Throws<WorkerException>(() => Pool.StarMap(W.MarkThenFailOn3, items, chunkSize: 1));

            Assert.Equal(3, error.ItemIndex);
            Assert.Equal("System.ArgumentException", error.RemoteTypeName);

            // Python's test_map_no_failfast: the failure did not stop the other items.
            Assert.Equal(40, Directory.GetFiles(directory).Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_failure_inside_a_chunk_does_not_lose_the_other_items_of_that_chunk()
    {
        var error = Assert.Throws<WorkerException>(() => Pool.Map(W.FailOn, Enumerable.Range(0, 100), chunkSize: 50));

        Assert.Equal(3, error.ItemIndex);
    }

    [Fact]
    public void Inner_exceptions_travel_with_the_exception()
    {
        var error = Assert.Throws<WorkerException>(() => Pool.Apply(W.ThrowNested, 7));

        Assert.Equal("System.InvalidOperationException", error.RemoteTypeName);
        WorkerException inner = Assert.Single(error.InnerExceptions);
        Assert.Equal("System.FormatException", inner.RemoteTypeName);
        Assert.Equal("inner problem 7", inner.Message);
        Assert.Same(inner, error.InnerException);
        Assert.Contains("inner problem 7", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_faults_its_task_with_the_worker_exception()
    {
        var error = await Assert.ThrowsAsync<WorkerException>(() => Pool.ApplyAsync(W.FailOn, 23, TestContext.Current.CancellationToken));

        Assert.Equal("item 23 is not allowed", error.Message);
    }

    [Fact]
    public void A_pool_created_inside_a_worker_is_refused_clearly()
    {
        var error = Assert.Throws<WorkerException>(() => Pool.Apply(W.CreateNestedPool, 1));

        Assert.Equal("System.InvalidOperationException", error.RemoteTypeName);
        Assert.Contains("inside a worker process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_id_the_worker_binary_does_not_know_is_reported_as_version_skew()
    {
        var unknown = new Execution.WorkerMethod(0xdeadbeefUL, "Gone.Worker(int)");

        var error = Assert.Throws<WorkerException>(() =>
            Pool.ApplyCore<int, int, Serialization.UnmanagedCodec<int>, Serialization.UnmanagedCodec<int>>(unknown, 1));

        Assert.Contains("Version skew", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gone.Worker(int)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Pool.Apply(W.Add, 0, 1));
    }
}
