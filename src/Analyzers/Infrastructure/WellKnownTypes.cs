using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ParallelGen.Analyzers.Infrastructure;

/// <summary>
/// The Parallel.Gen types every analyzer looks for, resolved once per compilation
/// (in <c>RegisterCompilationStartAction</c>). <see cref="Create"/> returns <see langword="null"/> for a
/// compilation that doesn't reference Parallel.Gen, so analyzers cost nothing there.
/// </summary>
internal sealed class WellKnownTypes
{
    private WellKnownTypes(Compilation compilation, INamedTypeSymbol workerAttribute)
    {
        WorkerAttribute = workerAttribute;
        WorkerParameterAttribute = compilation.GetTypeByMetadataName("ParallelGen.WorkerParameterAttribute");
        WorkerPool = compilation.GetTypeByMetadataName("ParallelGen.WorkerPool");
        ProcessPool = compilation.GetTypeByMetadataName("ParallelGen.ProcessPool");
        ModuleInitializerAttribute = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ModuleInitializerAttribute");

        // Types whose creation starts worker processes. WorkerProcess joins the list as soon as the runtime has it.
        ImmutableArray<INamedTypeSymbol>.Builder starters = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (string name in new[] { "ParallelGen.ProcessPool", "ParallelGen.WorkerProcess" })
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                starters.Add(type);
            }
        }

        ProcessStarters = starters.ToImmutable();
    }

    public INamedTypeSymbol WorkerAttribute { get; }

    public INamedTypeSymbol? WorkerParameterAttribute { get; }

    public INamedTypeSymbol? WorkerPool { get; }

    public INamedTypeSymbol? ProcessPool { get; }

    public INamedTypeSymbol? ModuleInitializerAttribute { get; }

    /// <summary><c>ProcessPool</c>, and <c>WorkerProcess</c> where it exists: creating one starts processes.</summary>
    public ImmutableArray<INamedTypeSymbol> ProcessStarters { get; }

    public static WellKnownTypes? Create(Compilation compilation) =>
        compilation.GetTypeByMetadataName("ParallelGen.WorkerAttribute") is { } worker ? new WellKnownTypes(compilation, worker) : null;

    /// <summary>Whether <paramref name="symbol"/> carries <c>[Worker]</c>.</summary>
    public bool IsWorker(ISymbol symbol) => HasAttribute(symbol, WorkerAttribute);

    /// <summary>Whether <paramref name="method"/> carries <c>[ModuleInitializer]</c>.</summary>
    public bool IsModuleInitializer(IMethodSymbol method) => ModuleInitializerAttribute is { } a && HasAttribute(method, a);

    /// <summary>Whether <paramref name="type"/> is (or derives from) a type whose creation starts worker processes.</summary>
    public bool IsProcessStarter(ITypeSymbol? type)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            foreach (INamedTypeSymbol starter in ProcessStarters)
            {
                if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, starter))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <c>ProcessPool</c> or derives from it.</summary>
    public bool IsProcessPool(ITypeSymbol? type)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, ProcessPool))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The argument passed to a parameter marked <c>[WorkerParameter]</c> (<c>pool.Map(worker, ...)</c> and every
    /// other API that sends a delegate to a worker process), or <see langword="null"/> when the call takes no worker.
    /// </summary>
    public IArgumentOperation? GetWorkerArgument(IInvocationOperation invocation)
    {
        if (WorkerParameterAttribute is null)
        {
            return null;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && HasAttribute(parameter.OriginalDefinition, WorkerParameterAttribute))
            {
                return argument;
            }
        }

        return null;
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
    {
        foreach (AttributeData data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }
}
