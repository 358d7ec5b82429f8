using System;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Benchmarks;

/// <summary>Prints <c>GPROBE &lt;assembly&gt; gc g0/g1/g2 pause &lt;ms&gt; jit &lt;ms&gt; &lt;methods&gt;</c> to stderr when its output step runs.</summary>
/// <remarks>
/// The counters the runtime keeps since the process started: collections of each generation, the total time threads were
/// paused for them (<c>GC.GetTotalPauseDuration</c>) and the JIT's time and method count (<c>System.Runtime.JitInfo</c>).
/// Those APIs are newer than netstandard2.0, which a generator targets, so they are found by name; the compiler runs on
/// .NET, which has them.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class ProbeGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context) =>
        context.RegisterSourceOutput(context.CompilationProvider, static (_, _) => Console.Error.WriteLine(Read()));

    private static string Read()
    {
        Type? jit = Type.GetType("System.Runtime.JitInfo");
        TimeSpan jitTime = (TimeSpan)jit!.GetMethod("GetCompilationTime")!.Invoke(null, [false])!;
        long jitMethods = (long)jit.GetMethod("GetCompiledMethodCount")!.Invoke(null, [false])!;
        TimeSpan pause = (TimeSpan)typeof(GC).GetMethod("GetTotalPauseDuration", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
        string name = typeof(ProbeGenerator).Assembly.GetName().Name!;
        return FormattableString.Invariant(
            $"GPROBE {name} gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} pause {pause.TotalMilliseconds:F1} jit {jitTime.TotalMilliseconds:F1} {jitMethods}");
    }
}
