using System.ComponentModel;

namespace ParallelGen.Hosting;

/// <summary>Calls one worker method with its arguments packed as <typeparamref name="TArgs"/>. Generated per worker.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IWorkerInvoker<TArgs, TResult>
{
    /// <summary>Calls the worker.</summary>
    static abstract TResult Invoke(TArgs args, CancellationToken cancellationToken);
}

/// <summary>Calls one <c>async</c> worker method with its arguments packed as <typeparamref name="TArgs"/>. Generated per worker.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IAsyncWorkerInvoker<TArgs, TResult>
{
    /// <summary>Calls the worker.</summary>
    static abstract ValueTask<TResult> InvokeAsync(TArgs args, CancellationToken cancellationToken);
}
