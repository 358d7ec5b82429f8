using System.Text;
using BenchmarkDotNet.Attributes;
using ParallelGen.Generated;
using ParallelGen.Hosting;
using ParallelGen.Serialization;

namespace ParallelGen.Benchmarks;

/// <summary>
/// What a worker does with a Run frame once it has it: the generated table's <c>switch</c> over worker ids,
/// then the typed loop that reads each argument, calls <see cref="Workers.Square"/> and writes each result.
/// In this process, so only the dispatch and codec cost is measured, not the IPC.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks : IDisposable
{
    private readonly WireWriter _results = new(64 * 1024);
    private ChunkResultWriter _writer = null!;
    private byte[] _arguments = [];
    private ulong _squareId;

    /// <summary>Calls in the chunk.</summary>
    [Params(1, 1_000)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // The generator's id: FNV-1a 64 of the full signature (src/Generators/WorkerIds.cs).
        _squareId = Fnv1a64(Workers.SquareSignature);
        using var arguments = new WireWriter();
        for (int i = 0; i < Items; i++)
        {
            arguments.WriteInt32(i);
        }

        _arguments = arguments.WrittenSpan.ToArray();
        _writer = new ChunkResultWriter(_results);
        if (RunChunk() != Items * sizeof(long) + 8)
        {
            throw new InvalidOperationException($"The generated table did not run Workers.Square (id {_squareId:x16}) as expected: has its signature changed? Update Workers.SquareSignature.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _results.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Looks up Square's id in the generated table and runs a chunk of <see cref="Items"/> calls, results included.</summary>
    [Benchmark]
    public int RunChunk()
    {
        _results.Reset();
        _writer.Begin();
        if (!WorkerTable_Parallel_Gen_Benchmarks.Instance.TryRun(_squareId, _arguments, Items, _writer, CancellationToken.None, out ValueTask completion))
        {
            return -1;
        }

        completion.GetAwaiter().GetResult();
        _writer.Complete();
        return _results.Position;
    }

    private static ulong Fnv1a64(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
