using System.Diagnostics;
using ParallelGen.Execution;
using ParallelGen.FrontEnd;
using ParallelGen.Processes;
using ParallelGen.Serialization;
using ParallelGen.Transport;

namespace ParallelGen;

/// <summary>
/// A <see cref="WorkerProcess"/> running a worker that returns a value: <see cref="Completion"/> carries
/// it back (no Manager dictionary needed, unlike Python).
/// <code>
/// WorkerProcess&lt;int&gt; p = WorkerProcess.Start(Jobs.Square, 7);
/// int square = await p.Completion;   // 49
/// </code>
/// </summary>
/// <typeparam name="TResult">The worker's result type (<see cref="Unit"/> for a worker that returns nothing).</typeparam>
public sealed class WorkerProcess<TResult> : WorkerProcess
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process, WorkerMethod worker)
        : base(process, worker)
    {
    }

    /// <summary>
    /// The worker's result, once the child has exited; faults with <see cref="WorkerException"/> when the
    /// call threw and <see cref="WorkerCrashedException"/> when the child died or was killed.
    /// </summary>
    public new Task<TResult> Completion => _completion.Task;

    private protected override Task CompletionTask => _completion.Task;

    internal static WorkerProcess<TResult> Launch<TArgs, TArgsCodec, TResultCodec>(WorkerMethod worker, TArgs args)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
    {
        // Serialize before starting anything: a bad argument (a disposed SharedArray...) fails here, in the caller.
        byte[] arguments;
        using (var writer = new WireWriter())
        {
            TArgsCodec.Write(writer, args);
            arguments = writer.WrittenSpan.ToArray();
        }

        var endpoint = PrivateEndpoint.Create();
        Process process;
        Transport.RingRegion? rings = null;
        try
        {
            process = new WorkerLauncher(null, endpoint.SocketPath, endpoint.Secret, taskTimeout: null, transport: WorkerTransport.Auto)
                .Start(workerIndex: -1, (_, handedOver) => rings = handedOver);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            rings?.Dispose();
            endpoint.Dispose();
            throw new WorkerStartException($"Could not start a worker process for {worker.Name}: {e.Message}", e);
        }

        var started = new WorkerProcess<TResult>(process, worker);
        _ = started.RunAsync<TResultCodec>(endpoint, rings, arguments);
        return started;
    }

    private async Task RunAsync<TResultCodec>(PrivateEndpoint endpoint, Transport.RingRegion? rings, byte[] arguments)
        where TResultCodec : IWireCodec<TResult>
    {
        Task exited = Process.WaitForExitAsync();
        Exception? failure = null;
        WorkerProcessExecutor? executor = null;
        try
        {
            executor = await WorkerProcessExecutor.AcceptAsync(endpoint, Process, exited, rings).ConfigureAwait(false);
            if (executor is null)
            {
                if (!exited.IsCompleted)
                {
                    Kill();
                }

                await exited.ConfigureAwait(false);
                failure = KillRequested || TerminateRequested
                    ? Crashed(Ended() + " before it started running")
                    : new WorkerStartException($"Worker process {Pid} for {Worker.Name} exited with code {Process.ExitCode} before connecting to its parent (see its output above).");
            }
            else
            {
                // The same seam a pool's chunks go through: one chunk of one item, decoded as the front end decodes a pool's.
                // A channel that ends first faults with WorkerCrashedException, which is described below once the exit code is known.
                ChunkReply reply = await executor.RunAsync(new ChunkRequest(Worker, ItemCount: 1, arguments), CancellationToken.None).ConfigureAwait(false);
                var result = new TResult[1];
                List<Exception>? failures = ChunkDecoder.Decode<TResult, TResultCodec>(reply, Worker, startIndex: 0, result, out _);
                failure = failures?[0];
                await executor.DrainAsync().ConfigureAwait(false);

                // Keep the channel open until the child is gone: closing it first makes the child's reader thread
                // exit with "parent gone" (0), racing the exit code it was asked for.
                await WaitForExitAsync(exited).ConfigureAwait(false);
                if (failure is null)
                {
                    Settle(() => _completion.TrySetResult(result[0]));
                    return;
                }
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or InvalidDataException or ObjectDisposedException)
        {
            failure = Crashed((KillRequested || TerminateRequested ? Ended() : "broke its channel") + $" ({e.Message})");
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            if (executor is not null)
            {
                await executor.DisposeAsync().ConfigureAwait(false);
            }

            endpoint.Dispose();
        }

        await WaitForExitAsync(exited).ConfigureAwait(false);
        if (failure is WorkerCrashedException)
        {
            // Now that the exit code is known, say it.
            failure = Crashed(Ended());
        }

        Settle(() => _completion.TrySetException(failure));
    }

    private async Task WaitForExitAsync(Task exited)
    {
        // After Goodbye the child exits at once; if it lingers (a stuck finalizer, a foreground thread), make sure.
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) != exited)
        {
            Kill();
            await exited.ConfigureAwait(false);
        }

        // A child that was killed or terminated could not remove the runtime's debugger and diagnostics files; it is gone
        // now, and this process started it, so they go before the result is settled (as a pool does for its workers).
        Processes.WorkerRuntimeFiles.RemoveFor(Pid);
    }

    private string Ended() => KillRequested ? (TerminateRequested ? "was terminated and then killed (it outlived the grace period)" : "was killed") : TerminateRequested ? "was terminated" : "died";

    private WorkerCrashedException Crashed(string what)
    {
        int? exitCode = Process.HasExited ? Process.ExitCode : null;
        string code = exitCode is { } c ? $" (exit code {c}{(c is > 128 and < 160 && !OperatingSystem.IsWindows() ? $", signal {c - 128}" : "")})" : "";
        return new WorkerCrashedException($"{Name} (process {Pid}) running {Worker.Name} {what}{code} before returning a result.", Pid, exitCode, -1);
    }
}
