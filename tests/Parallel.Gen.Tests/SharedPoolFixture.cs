namespace ParallelGen.Tests;

/// <summary>One warm two-worker pool for the tests that only need a pool, not its lifecycle.</summary>
public sealed class SharedPoolFixture : IDisposable
{
    public ProcessPool Pool { get; } = new(processes: 2);

    public void Dispose() => Pool.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SharedPoolDefinition : ICollectionFixture<SharedPoolFixture>
{
    public const string Name = "shared pool";
}
