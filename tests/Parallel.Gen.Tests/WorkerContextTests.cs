namespace ParallelGen.Tests;

[Collection(SharedPoolDefinition.Name)]
public sealed class WorkerContextTests(SharedPoolFixture fixture)
{
    [Fact]
    public void The_parent_is_not_a_worker()
    {
        Assert.False(WorkerContext.IsWorker);
        Assert.Equal(-1, WorkerContext.WorkerIndex);
    }

    [Fact]
    public void A_worker_knows_its_parent_and_its_slot()
    {
        var context = fixture.Pool.Apply(W.Context);
        Assert.True(context.IsWorker);
        Assert.Equal(Environment.ProcessId, context.ParentProcessId);
        Assert.InRange(context.WorkerIndex, 0, 1);
        Assert.NotEqual(Environment.ProcessId, context.Pid);
    }
}
