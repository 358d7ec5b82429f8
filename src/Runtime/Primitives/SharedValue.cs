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

    /// <summary>
    /// Creates the value in shared memory under <paramref name="name"/>, so that an unrelated process of the
    /// same user can <see cref="Open"/> it by that name (Python's <c>SharedMemory(name=..., create=True)</c>).
    /// The creator's last <see cref="Dispose"/> (or its exit) removes the name.
    /// </summary>
    /// <param name="name">1 to 200 letters, digits, '-', '_' or '.' (not first): it becomes a file name in <c>/dev/shm</c>.</param>
    /// <param name="initialValue">The value it starts with.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, too long or has other characters.</exception>
    /// <exception cref="IOException">Shared memory of that name already exists.</exception>
    public static SharedValue<T> Create(string name, T initialValue = default)
    {
        SharedMemoryBlock.ValidateUserName(name);
        var value = new SharedValue<T>(SharedMemoryBlock.Create(SharedMemoryKind.Value, sizeof(T), 1, name, SharedMemoryBlock.TypeTag<T>()));
        *value._value = initialValue;
        return value;
    }

    /// <summary>
    /// Opens the value another process (or this one) created with <see cref="Create(string, T)"/> (Python's
    /// <c>SharedMemory(name=...)</c>). Disposing it here only unmaps it.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing of that name exists (never created, or its creator disposed it or exited).</exception>
    /// <exception cref="InvalidOperationException">The name holds something else: an array, or a value of another type.</exception>
    public static SharedValue<T> Open(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(SharedMemoryBlock.OpenNamed(name, SharedMemoryKind.Value, sizeof(T), SharedMemoryBlock.TypeTag<T>(), $"SharedValue<{typeof(T).Name}>"));
    }

    internal SharedValue(SharedMemoryBlock block)
    {
        _block = block;
        _value = (T*)block.Payload;
    }

    internal SharedMemoryBlock Block => _block ?? throw Disposed();

    /// <summary>
    /// The name <see cref="Open"/> takes to reach this value from another process: the one given to
    /// <see cref="Create(string, T)"/>, or a generated one (<c>pgen-shm-…</c>) for a value made with the constructor.
    /// </summary>
    public string Name => Block.Name;

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

            SharedMemoryBlock block = Block;
            int abandonedBy = block.EnterLock();
            T read = *value;
            block.ExitLock();
            return abandonedBy == 0 ? read : throw SharedMemoryBlock.Abandoned("SharedValue", abandonedBy, held: false);
        }

        set
        {
            T* pointer = Pointer;
            if (SharedMemoryAccess.IsAtomic<T>())
            {
                SharedMemoryAccess.Write(pointer, value);
                return;
            }

            SharedMemoryBlock block = Block;
            int abandonedBy = block.EnterLock();
            *pointer = value;
            block.ExitLock();
            if (abandonedBy != 0)
            {
                throw SharedMemoryBlock.Abandoned("SharedValue", abandonedBy, held: false);
            }
        }
    }

    private T* Pointer => _value != null ? _value : throw Disposed();

    /// <summary>
    /// Takes the value's cross-process lock until the returned scope is disposed (<c>using (counter.Lock()) counter.Value += 1;</c>, Python's <c>with v.get_lock():</c>).
    /// Re-entrant for the thread holding it.
    /// </summary>
    /// <exception cref="AbandonedMutexException">
    /// The process holding the lock died (a waiter notices within about 100 ms): this thread holds it now, but no
    /// scope was returned. The data may be half-updated: check or repair it, then call <see cref="Unlock"/>.
    /// </exception>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public ProcessLockScope Lock() => Block.EnterUserLock("SharedValue");

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the lock, as <see cref="Monitor.TryEnter(object, TimeSpan)"/> does:
    /// <c>if (counter.TryLock(TimeSpan.FromSeconds(1), out var held)) using (held) { ... }</c>.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> only tries, <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <param name="scope">Disposing it releases the lock; <see langword="default"/> (releasing nothing) when the time ran out.</param>
    /// <returns><see langword="true"/> if this thread holds the lock now; <see langword="false"/> if the time ran out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    /// <exception cref="AbandonedMutexException">As for <see cref="Lock"/>: the lock is held; call <see cref="Unlock"/> when done.</exception>
    public bool TryLock(TimeSpan timeout, out ProcessLockScope scope) => Block.TryEnterUserLock(timeout, "SharedValue", out scope);

    /// <summary>
    /// Releases one level of the lock held by this thread, as disposing the scope from <see cref="Lock"/> does: for
    /// when there is no scope to dispose, as after <see cref="AbandonedMutexException"/>.
    /// </summary>
    /// <exception cref="SynchronizationLockException">This thread doesn't hold the lock.</exception>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public void Unlock() => Block.ExitLock();

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
