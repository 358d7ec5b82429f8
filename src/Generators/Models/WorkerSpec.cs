namespace ParallelGen.Generators.Models;

/// <summary>How a worker hands back its result.</summary>
internal enum ResultKind
{
    /// <summary>Returns a value.</summary>
    Value,

    /// <summary>Returns nothing (<c>void</c>): the wire carries Unit.</summary>
    Void,

    /// <summary>Returns <c>Task&lt;T&gt;</c>.</summary>
    Task,

    /// <summary>Returns <c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTask,

    /// <summary>Returns a non-generic <c>Task</c>.</summary>
    VoidTask,

    /// <summary>Returns a non-generic <c>ValueTask</c>.</summary>
    VoidValueTask,
}

/// <summary>One parameter of a worker: its type, or the marker that it receives the call's cancellation token.</summary>
internal sealed record ParameterSpec(string Type, bool IsCancellationToken);

/// <summary>
/// A [Worker] method, reduced to what the table, the invokers and the interceptors need: strings
/// and numbers only, so the incremental pipeline can cache it. <see cref="Codecs"/> are the codec structs
/// its argument and result codecs name, emitted once per assembly (<see cref="CodecSources"/>).
/// </summary>
internal sealed record WorkerSpec(
    ulong Id,
    string DisplayName,
    string ContainingType,
    string MethodName,
    EquatableArray<ParameterSpec> Parameters,
    ResultKind ResultKind,
    string ResultType,
    string ResultCodec,
    string ArgsType,
    string ArgsCodec,
    EquatableArray<CodecSpec> Codecs)
{
    /// <summary>The method's name as written (<see cref="MethodName"/> may carry an <c>@</c>): what a call site's method group names.</summary>
    public string Name { get; init; } = MethodName;

    /// <summary>The declared return type (e.g. <c>Task&lt;int&gt;</c>, where <see cref="ResultType"/> is <c>int</c>).</summary>
    public string DeclaredReturnType { get; init; } = ResultType;

    /// <summary>No other member of its type (or a base type) has its name: a method group naming it can mean nothing else.</summary>
    public bool IsUniquelyNamed { get; init; }

    /// <summary>
    /// Every argument type admits no other type argument for the pool method's type parameters (value types without
    /// tuple names, sealed classes, arrays of those): a call's type arguments are then the worker's own parameter types,
    /// and the call site can be resolved without binding it (<see cref="WorkerGenerator.CallSites"/>).
    /// </summary>
    public bool HasExactParameters { get; init; }

    public bool IsAsync => ResultKind is ResultKind.Task or ResultKind.ValueTask or ResultKind.VoidTask or ResultKind.VoidValueTask;

    public string IdLiteral => "0x" + Id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + "UL";
}
