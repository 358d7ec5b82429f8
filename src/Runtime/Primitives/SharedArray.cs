using System.Runtime.CompilerServices;
using ParallelGen.Serialization;
using ParallelGen.SharedMemory;

namespace ParallelGen;

/// <summary>
/// A fixed-length array of unmanaged values in shared memory (Python's <c>multiprocessing.Array</c>):
/// pass it to a <see cref="WorkerAttribute"/> method, in a <see cref="WorkerProcess"/> or a pool, and
/// every process reads and writes the same memory. It travels as a handle (the name of the memory), never as a copy.
/// <code>
/// using var result = new SharedArray&lt;int&gt;(4);   // Array('i', 4)
/// WorkerProcess.Start(Jobs.SquareList, new[] { 1, 2, 3, 4 }, result).Join();
/// int[] squares = result.ToArray();                // result[:]
/// </code>
/// </summary>
/// <remarks>
/// Single element reads and writes of 1, 2, 4 or 8 byte types are atomic; anything compound
/// (<c>a[i] += 1</c>, several elements that belong together) needs <see cref="Lock"/>. The memory
/// is a memory-mapped file (in <c>/dev/shm</c> on Linux, mode 0600). The creating process owns its
/// name: disposing the array there (or exiting) removes it; processes that already opened it keep
/// working with it until they dispose their own copy or exit. See docs/primitives.md.
/// </remarks>
/// <typeparam name="T">An unmanaged element type (numbers, <see cref="bool"/>, <see cref="char"/>, structs of those).</typeparam>
[WireCodec(typeof(SharedArrayCodec<>))]
public sealed unsafe class SharedArray<T> : IDisposable
    where T : unmanaged
{
    private SharedMemoryBlock? _block;
    private T* _items;

    /// <summary>Allocates <paramref name="length"/> zeroed elements in shared memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public SharedArray(int length)
        : this(SharedMemoryBlock.Create(SharedMemoryKind.Array, ValidElementSize(), CheckLength(length)))
    {
    }

    /// <summary>Allocates shared memory holding a copy of <paramref name="values"/> (Python's <c>Array('i', range(10))</c>).</summary>
    public SharedArray(ReadOnlySpan<T> values)
        : this(values.Length)
    {
        values.CopyTo(AsSpan());
    }

    /// <summary>
    /// Creates <paramref name="length"/> zeroed elements in shared memory under <paramref name="name"/>, so that an
    /// unrelated process of the same user can <see cref="Open"/> them by that name (Python's
    /// <c>SharedMemory(name=..., create=True, size=...)</c>). The creator's last <see cref="Dispose"/> (or its exit) removes the name.
    /// </summary>
    /// <param name="name">1 to 200 letters, digits, '-', '_' or '.' (not first): it becomes a file name in <c>/dev/shm</c>.</param>
    /// <param name="length">The number of elements.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, too long or has other characters.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="IOException">Shared memory of that name already exists.</exception>
    public static SharedArray<T> Create(string name, int length)
    {
        SharedMemoryBlock.ValidateUserName(name);
        return new(SharedMemoryBlock.Create(SharedMemoryKind.Array, ValidElementSize(), CheckLength(length), name, SharedMemoryBlock.TypeTag<T>()));
    }

    /// <summary>
    /// Opens the array another process (or this one) created with <see cref="Create(string, int)"/> (Python's
    /// <c>SharedMemory(name=...)</c>); its <see cref="Length"/> is the creator's. Disposing it here only unmaps it.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing of that name exists (never created, or its creator disposed it or exited).</exception>
    /// <exception cref="InvalidOperationException">The name holds something else: a value, or an array of another element type.</exception>
    public static SharedArray<T> Open(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(SharedMemoryBlock.OpenNamed(name, SharedMemoryKind.Array, ValidElementSize(), SharedMemoryBlock.TypeTag<T>(), $"SharedArray<{typeof(T).Name}>"));
    }

    internal SharedArray(SharedMemoryBlock block)
    {
        _block = block;
        _items = (T*)block.Payload;
        Length = checked((int)block.Count);
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    internal SharedMemoryBlock Block => _block ?? throw Disposed();

    /// <summary>
    /// The name <see cref="Open"/> takes to reach this array from another process: the one given to
    /// <see cref="Create(string, int)"/>, or a generated one (<c>pgen-shm-…</c>) for an array made with a constructor.
    /// </summary>
    public string Name => Block.Name;

    /// <summary>Reads or writes one element in shared memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..Length-1.</exception>
    /// <exception cref="ObjectDisposedException">This array was disposed.</exception>
    public T this[int index]
    {
        get
        {
            T* items = Items;
            if ((uint)index >= (uint)Length)
            {
                throw OutOfRange(index);
            }

            return SharedMemoryAccess.Read(items + index);
        }

        set
        {
            T* items = Items;
            if ((uint)index >= (uint)Length)
            {
                throw OutOfRange(index);
            }

            SharedMemoryAccess.Write(items + index, value);
        }
    }

    private T* Items => _items != null ? _items : throw Disposed();

    /// <summary>
    /// The shared memory itself as a span: writes are seen by every process at once. Valid until this
    /// array is disposed; don't keep it across a <see cref="Dispose"/>.
    /// </summary>
    public Span<T> AsSpan() => new(Items, Length);

    /// <summary>Copies the current contents (Python's <c>result[:]</c>).</summary>
    public T[] ToArray() => AsSpan().ToArray();

    /// <summary>
    /// Takes the array's cross-process lock until the returned scope is disposed (<c>using (array.Lock()) { array[0] += 1; }</c>).
    /// Re-entrant for the thread holding it.
    /// </summary>
    /// <exception cref="AbandonedMutexException">
    /// The process holding the lock died (a waiter notices within about 100 ms): this thread holds it now, but no
    /// scope was returned. The data may be half-updated: check or repair it, then call <see cref="Unlock"/>.
    /// </exception>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public ProcessLockScope Lock() => Block.EnterUserLock("SharedArray");

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the lock, as <see cref="Monitor.TryEnter(object, TimeSpan)"/> does:
    /// <c>if (array.TryLock(TimeSpan.FromSeconds(1), out var held)) using (held) { ... }</c>.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> only tries, <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <param name="scope">Disposing it releases the lock; <see langword="default"/> (releasing nothing) when the time ran out.</param>
    /// <returns><see langword="true"/> if this thread holds the lock now; <see langword="false"/> if the time ran out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    /// <exception cref="AbandonedMutexException">As for <see cref="Lock"/>: the lock is held; call <see cref="Unlock"/> when done.</exception>
    public bool TryLock(TimeSpan timeout, out ProcessLockScope scope) => Block.TryEnterUserLock(timeout, "SharedArray", out scope);

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

        _items = null;
        block.Release();
    }

    /// <inheritdoc/>
    public override string ToString() => $"SharedArray<{typeof(T).Name}>[{Length}]";

    private static int ValidElementSize() => Unsafe.SizeOf<T>();

    private static int CheckLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return length;
    }

    private ArgumentOutOfRangeException OutOfRange(int index) =>
        new(nameof(index), index, $"Index {index} is outside the shared array of {Length} elements.");

    private static ObjectDisposedException Disposed() => new(typeof(SharedArray<T>).Name, "This SharedArray was disposed.");
}
