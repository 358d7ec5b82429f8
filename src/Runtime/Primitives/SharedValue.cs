using ParallelGen.Serialization;
using ParallelGen.SharedMemory;

namespace ParallelGen;

/// <summary>
/// One unmanaged value in shared memory with its own cross-process lock (Python's
/// <c>multiprocessing.Value</c>): pass it to a <see cref="WorkerAttribute"/> method and every process
/// sees the same value. It travels as a handle (the name of the memory), never as a copy.
/// <code>
/// using var counter = new SharedValue&lt;int&gt;(0);   // Value('i', 0)
/// using (counter.Lock()) counter.Value += 1;         // with counter.get_lock(): counter.value += 1
/// </code>
/// </summary>
/// <remarks>
/// Reading or writing <see cref="Value"/> is atomic on its own (values of 1, 2, 4 or 8 bytes are read and
/// written in one instruction; larger ones take the lock), but <c>Value += 1</c> is a read and then a
/// write: hold <see cref="Lock"/> around it. Lifetime as <see cref="SharedArray{T}"/>: the creating
/// process owns the name; see docs/primitives.md.
/// </remarks>
/// <typeparam name="T">An unmanaged type (numbers, <see cref="bool"/>, <see cref="char"/>, structs of those).</typeparam>
[WireCodec(typeof(SharedValueCodec<>))]
public sealed unsafe class SharedValue<T> : IDisposable
    where T : unmanaged
{
    private SharedMemoryBlock? _block;
    private T* _value;

    /// <summary>Allocates the value in shared memory, set to <paramref name="initialValue"/> (Python's <c>Value('d', 0.0)</c>).</summary>
    public SharedValue(T initialValue = default)
        : this(SharedMemoryBlock.Create(SharedMemoryKind.Value, sizeof(T), 1))
    {
        *_value = initialValue;
    }

    internal SharedValue(SharedMemoryBlock block)
    {
        _block = block;
        _value = (T*)block.Payload;
    }

    internal SharedMemoryBlock Block => _block ?? throw Disposed();

    /// <summary>The value in shared memory (Python's <c>.value</c>).</summary>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public T Value
    {
        get
        {
            T* value = Pointer;
            if (SharedMemoryAccess.IsAtomic<T>())
            {
                return SharedMemoryAccess.Read(value);
            }

            using (Lock())
            {
                return *value;
            }
        }

        set
        {
            T* pointer = Pointer;
            if (SharedMemoryAccess.IsAtomic<T>())
            {
                SharedMemoryAccess.Write(pointer, value);
                return;
            }

            using (Lock())
            {
                *pointer = value;
            }
        }
    }

    private T* Pointer => _value != null ? _value : throw Disposed();

    /// <summary>
    /// Takes the value's cross-process lock until the returned scope is disposed (Python's
    /// <c>with v.get_lock():</c>). Re-entrant for the thread holding it. If the process holding it
    /// dies, a waiter takes it over within about 100 ms (see docs/primitives.md).
    /// </summary>
    public ProcessLockScope Lock()
    {
        SharedMemoryBlock block = Block;
        block.EnterLock();
        return new ProcessLockScope(block);
    }

    /// <summary>
    /// Releases this process's use of the memory. In the creating process this also removes its name,
    /// so processes that haven't opened it yet can no longer do so; those that have keep working.
    /// </summary>
    public void Dispose()
    {
        SharedMemoryBlock? block = Interlocked.Exchange(ref _block, null);
        if (block is null)
        {
            return;
        }

        _value = null;
        block.Release();
    }

    /// <inheritdoc/>
    public override string ToString() => _value == null ? "SharedValue (disposed)" : $"SharedValue<{typeof(T).Name}>({Value})";

    private static ObjectDisposedException Disposed() => new(typeof(SharedValue<T>).Name, "This SharedValue was disposed.");
}
