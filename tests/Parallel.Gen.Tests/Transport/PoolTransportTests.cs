namespace ParallelGen.Tests.Transport;

/// <summary>The pool's option picks the transport its workers talk over: shared-memory rings or the socket alone.</summary>
public sealed class PoolTransportTests
{
    [Theory]
    [InlineData(WorkerTransport.SharedMemory, 2)]
    [InlineData(WorkerTransport.Socket, 0)]
    public void Each_worker_gets_its_own_rings_only_when_shared_memory_is_chosen(WorkerTransport transport, int ringsPerTwoWorkers)
    {
        int before = RingMappings();
        using (var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, Transport = transport }))
        {
            // Both workers answered, so both finished their handshake and upgrade.
            long[] squares = pool.Map(W.Square, Enumerable.Range(0, 64), chunkSize: 1);
            Assert.Equal(Enumerable.Range(0, 64).Select(x => (long)x * x), squares);
            Assert.Equal(before + ringsPerTwoWorkers, RingMappingsSettled(before + ringsPerTwoWorkers));
        }

        Assert.Equal(before, RingMappingsSettled(before));
    }

    [Fact]
    public void An_undefined_transport_is_refused_with_a_clear_error()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(new ProcessPoolOptions { Transport = (WorkerTransport)42 }));
        Assert.Equal("Transport", error.ParamName);
    }

    /// <summary>The count once it reached <paramref name="expected"/>, or what it is after 10 s (a worker may still be starting, a disposed one still leaving).</summary>
    private static int RingMappingsSettled(int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        int count;
        while ((count = RingMappings()) != expected && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        return count;
    }

    /// <summary>How many ring regions this process has mapped (unlinked files show as "(deleted)" in the maps).</summary>
    private static int RingMappings() => File.ReadLines("/proc/self/maps").Count(line => line.Contains("/pgen-ring-", StringComparison.Ordinal));
}
