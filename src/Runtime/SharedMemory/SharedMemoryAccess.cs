using System.Runtime.CompilerServices;

namespace ParallelGen.SharedMemory;

/// <summary>Reads and writes of one value in shared memory that another process never sees half-done (sizes 1, 2, 4, 8: one aligned instruction).</summary>
internal static unsafe class SharedMemoryAccess
{
    public static bool IsAtomic<T>()
        where T : unmanaged => sizeof(T) is 1 or 2 or 4 or 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Read<T>(T* address)
        where T : unmanaged
    {
        // Aligned elements only: the payload starts 64-byte aligned and elements are naturally packed after it.
        if (sizeof(T) == 8 && ((nuint)address & 7) == 0)
        {
            long bits = Volatile.Read(ref *(long*)address);
            return Unsafe.As<long, T>(ref bits);
        }

        if (sizeof(T) == 4 && ((nuint)address & 3) == 0)
        {
            int bits = Volatile.Read(ref *(int*)address);
            return Unsafe.As<int, T>(ref bits);
        }

        T value = *address;
        Interlocked.MemoryBarrier();
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<T>(T* address, T value)
        where T : unmanaged
    {
        if (sizeof(T) == 8 && ((nuint)address & 7) == 0)
        {
            Volatile.Write(ref *(long*)address, Unsafe.As<T, long>(ref value));
            return;
        }

        if (sizeof(T) == 4 && ((nuint)address & 3) == 0)
        {
            Volatile.Write(ref *(int*)address, Unsafe.As<T, int>(ref value));
            return;
        }

        *address = value;
        Interlocked.MemoryBarrier();
    }
}
