// Waiting on several pipes, queues and processes at once: Python's multiprocessing.connection.wait(...).
// Every source has an awaitable wait (PipeEnd.ReceiveAsync, ProcessQueue.GetAsync, WorkerProcess.WaitAsync),
// so Task.WhenAny is the wait; none of them holds a thread, and a cancelled wait never loses a message.
using ParallelGen;

var (results, resultsWriter) = ProcessPipe.Create<string>(duplex: false);   // Pipe(duplex=False) -> (r, w)
using var events = new ProcessQueue<string>();
using var stop = new CancellationTokenSource();

WorkerProcess[] children =
[
    WorkerProcess.Start(Sources.Report, resultsWriter, 3),
    WorkerProcess.Start(Sources.Announce, events, 2),
];
resultsWriter.Dispose();   // the child holds the send end now: when it exits, the pipe ends

Task<string>? nextResult = results.ReceiveAsync(stop.Token);
Task<string> nextEvent = events.GetAsync(stop.Token);
Task exited = Task.WhenAll(children.Select(c => c.WaitAsync()));
bool childrenExited = false;
int seen = 0;

// Like connection.wait([r, q, *sentinels]) in a loop: until the pipe is closed and the processes have exited.
while (nextResult is not null || !childrenExited)
{
    List<Task> waits = [nextEvent];
    if (nextResult is not null)
    {
        waits.Add(nextResult);
    }

    if (!childrenExited)
    {
        waits.Add(exited);
    }

    Task ready = await Task.WhenAny(waits);
    if (ready == nextEvent)
    {
        Console.WriteLine($"queue:     {await nextEvent}");
        seen++;
        nextEvent = events.GetAsync(stop.Token);
    }
    else if (ready == nextResult)
    {
        try
        {
            Console.WriteLine($"pipe:      {await nextResult}");
            seen++;
            nextResult = results.ReceiveAsync(stop.Token);
        }
        catch (EndOfStreamException)
        {
            Console.WriteLine("pipe:      closed (its only sender exited)");
            nextResult = null;
        }
    }
    else
    {
        Console.WriteLine("processes: both children exited");
        childrenExited = true;
    }
}

// Nobody is left to put: stop waiting on the queue. A cancelled wait loses nothing: an item already on its way still arrives.
await stop.CancelAsync();
try
{
    Console.WriteLine($"queue:     {await nextEvent}");
    seen++;
}
catch (OperationCanceledException)
{
}

while (events.TryGet(out string? late))
{
    Console.WriteLine($"queue:     {late}");
    seen++;
}

results.Dispose();
Console.WriteLine($"Waited on a pipe, a queue and two processes at once: {seen} messages");
bool ok = seen == 5;
Console.WriteLine(ok ? "OK" : "MISMATCH");
return ok ? 0 : 1;

static class Sources
{
    [Worker]
    public static void Report(PipeEnd<string> results, int count)
    {
        for (int i = 1; i <= count; i++)
        {
            results.Send($"result {i} from process {Environment.ProcessId}");
        }
    }

    [Worker]
    public static void Announce(ProcessQueue<string> events, int count)
    {
        for (int i = 1; i <= count; i++)
        {
            events.Put($"event {i} from process {Environment.ProcessId}");
        }
    }
}
