namespace ParallelGen.Tests.Synchronization;

public sealed class NamedSharedMemoryTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static string UniqueName(string what) => $"pg-test-{what}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_process_given_only_the_name_opens_the_same_array_and_value()
    {
        string arrayName = UniqueName("array");
        string valueName = UniqueName("value");
        using var array = SharedArray<int>.Create(arrayName, 4);
        using var value = SharedValue<double>.Create(valueName, 1.5);
        Assert.Equal(arrayName, array.Name);
        Assert.Equal(valueName, value.Name);

        // The children get strings, not handles: they find the memory by name, as an unrelated program would.
        int length = await WorkerProcess.Start(S.FillNamedArray, arrayName).Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
        double sum = await WorkerProcess.Start(S.AddToNamedValue, valueName, 2.0).Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);

        Assert.Equal(4, length);
        Assert.Equal(new[] { 10, 20, 30, 40 }, array.ToArray());
        Assert.Equal(3.5, sum);
        Assert.Equal(3.5, value.Value);

        using SharedArray<int> again = SharedArray<int>.Open(arrayName);
        Assert.Equal(40, again[3]);
    }

    [Fact]
    public void The_generated_name_of_an_unnamed_array_opens_it_too()
    {
        using var array = new SharedArray<long>([7, 8]);
        using SharedArray<long> opened = SharedArray<long>.Open(array.Name);
        Assert.StartsWith("pgen-shm-", array.Name, StringComparison.Ordinal);
        Assert.Equal(new long[] { 7, 8 }, opened.ToArray());
    }

    [Fact]
    public void The_creators_last_Dispose_removes_the_name_and_leaves_nothing_in_dev_shm()
    {
        string name = UniqueName("gone");
        var array = SharedArray<byte>.Create(name, 16);
        SharedArray<byte> opened = SharedArray<byte>.Open(name);
        string path = array.Block.Path;
        Assert.True(File.Exists(path));

        opened.Dispose();
        Assert.True(File.Exists(path), "a process's Open() shares the creator's mapping: disposing it must not remove the name");
        array.Dispose();

        Assert.False(File.Exists(path), $"{path} is still there after its creator disposed it");
        var error = Assert.Throws<FileNotFoundException>(() => SharedArray<byte>.Open(name));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_name_that_holds_something_else_says_what_it_holds()
    {
        string name = UniqueName("mismatch");
        using var array = SharedArray<int>.Create(name, 3);

        var asValue = Assert.Throws<InvalidOperationException>(() => SharedValue<int>.Open(name));
        Assert.Contains($"'{name}' holds a SharedArray of 3 element(s) of 4 bytes", asValue.Message, StringComparison.Ordinal);

        var asLongs = Assert.Throws<InvalidOperationException>(() => SharedArray<long>.Open(name));
        Assert.Contains("SharedArray<Int64>", asLongs.Message, StringComparison.Ordinal);

        var asFloats = Assert.Throws<InvalidOperationException>(() => SharedArray<float>.Open(name));
        Assert.Contains("same size, but not the same type", asFloats.Message, StringComparison.Ordinal);

        var duplicate = Assert.Throws<IOException>(() => SharedArray<int>.Create(name, 3));
        Assert.Contains("already exists", duplicate.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("white space")]
    public void Bad_names_are_refused_with_the_reason(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => SharedArray<int>.Create(name, 1));
        Assert.Equal("name", error.ParamName);
        Assert.Throws<ArgumentException>(() => SharedValue<int>.Open(name));
        Assert.Throws<ArgumentException>(() => SharedArray<int>.Create(new string('x', 201), 1));
    }

    [Fact]
    public void Synchronization_primitives_leave_nothing_in_dev_shm_after_Dispose()
    {
        var condition = new ProcessCondition();
        IDisposable[] all = [new ProcessLock(), new ProcessRLock(), new ProcessSemaphore(1, 1), new ProcessEvent(), new ProcessBarrier(2), condition];
        string[] paths =
        [
            ((ProcessLock)all[0]).Memory.Path, ((ProcessRLock)all[1]).Memory.Path, ((ProcessSemaphore)all[2]).Memory.Path,
            ((ProcessEvent)all[3]).Memory.Path, ((ProcessBarrier)all[4]).Memory.Path, condition.Memory.Path, condition.ConditionLock.Memory.Path,
        ];
        Assert.All(paths, path => Assert.True(File.Exists(path), path));

        foreach (IDisposable primitive in all)
        {
            primitive.Dispose();
            primitive.Dispose();
        }

        Assert.All(paths, path => Assert.False(File.Exists(path), $"{path} is left behind"));
        Assert.Throws<ObjectDisposedException>(() => ((ProcessLock)all[0]).Acquire());
    }
}
