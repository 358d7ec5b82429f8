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

    internal SharedArray(SharedMemoryBlock block)
    {
        _block = block;
        _items = (T*)block.Payload;
        Length = checked((int)block.Count);
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    internal SharedMemoryBlock Block => _block ?? throw Disposed();

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
    /// Takes the array's cross-process lock until the returned scope is disposed:
    /// <c>using (array.Lock()) { array[0] += 1; }</c>. Re-entrant for the thread holding it. If the
    /// process holding it dies, a waiter takes it over within about 100 ms (see docs/primitives.md).
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
