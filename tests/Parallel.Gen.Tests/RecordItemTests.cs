namespace ParallelGen.Tests;

/// <summary>A record that travels only as a queue item (never in a worker signature): its generated codec is registered too.</summary>
public sealed record QueuedJob(int Id, string Name, List<double> Weights);

public static class RecordItemWorkers
{
    [Worker]
    public static int PutJobs(ProcessQueue<QueuedJob> queue, int count)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Put(new QueuedJob(i, "job " + i, [i, i / 2.0]));
        }

        return count;
    }
}

[Collection(SharedPoolDefinition.Name)]
public sealed class RecordItemTests(SharedPoolFixture fixture)
{
    [Fact]
    public void Records_put_by_a_worker_arrive_whole_through_a_queue()
    {
        using var queue = new ProcessQueue<QueuedJob>();

        Assert.Equal(3, fixture.Pool.Apply(RecordItemWorkers.PutJobs, queue, 3));

        for (int i = 0; i < 3; i++)
        {
            QueuedJob job = queue.Get(TimeSpan.FromSeconds(30));
            Assert.Equal(i, job.Id);
            Assert.Equal("job " + i, job.Name);
            Assert.Equal([i, i / 2.0], job.Weights);
        }
    }
}
