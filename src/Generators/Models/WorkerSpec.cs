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
/// its argument and result codecs name, which every file that uses them emits.
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
    public bool IsAsync => ResultKind is ResultKind.Task or ResultKind.ValueTask or ResultKind.VoidTask or ResultKind.VoidValueTask;

    public string IdLiteral => "0x" + Id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + "UL";
}
