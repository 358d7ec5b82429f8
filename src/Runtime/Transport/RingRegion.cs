using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace ParallelGen.Transport;

/// <summary>
/// The shared memory behind one <see cref="SharedMemoryTransport"/>: a file of one header page (magic, capacity, and a
/// control block per direction) followed by the two rings' data, mapped by exactly two processes.
/// </summary>
/// <remarks>
/// <para>
/// The creator makes the file in <c>/dev/shm</c> under a random name with <see cref="FileMode.CreateNew"/> (O_CREAT|O_EXCL,
/// which also refuses a planted symbolic link) and mode 0600, sends the name over the already authenticated socket, and
/// unlinks it as soon as the peer says it has mapped it: from then on only the two mappings keep the memory alive, and no
/// name is left to leak or to open.
/// </para>
/// <para>
/// Control block of ring <c>r</c> (at <see cref="ControlAt"/> + r * <see cref="ControlBytes"/>), one 128-byte line per
/// writer so the two processes never share a cache line they both write (128, not 64: adjacent-line prefetch):
/// <code>
///   +0    long Tail            bytes ever written; the producer's, published after the bytes
///   +8    int  Closed          the producer said goodbye (a clean end, after the last frame)
///   +128  long Head            bytes ever read; the consumer's, published after it copied them out
///   +256  int  ReaderSleeping  futex word: 1 while the consumer sleeps (or is about to) waiting for data
///   +384  int  WriterSleeping  futex word: 1 while the producer sleeps (or is about to) waiting for room
/// </code>
/// Ring 0 carries creator → peer, ring 1 peer → creator.
/// </para>
/// <para>
/// Lifetime inside a process: every operation holds a reference on the mapping (<see cref="Enter"/>/<see cref="Exit"/>), so
/// a <see cref="Dispose"/> racing a blocked receive on another thread never unmaps memory that thread still reads.
/// </para>
/// </remarks>
internal sealed unsafe class RingRegion : IDisposable
{
    public const int MinCapacity = 4096;
    public const int MaxCapacity = 1 << 26;
    public const int ControlBytes = 512;
    public const int TailAt = 0;
    public const int ClosedAt = 8;
    public const int HeadAt = 128;
    public const int ReaderSleepingAt = 256;
    public const int WriterSleepingAt = 384;

    private const uint Magic = 0x474E5250; // "PRNG"
    private const int LayoutVersion = 1;
    private const int HeaderBytes = 4096;
    private const int ControlAt = 1024;
    private const int MagicAt = 0;
    private const int VersionAt = 4;
    private const int CapacityAt = 8;
    private const string NamePrefix = "pgen-ring-";
    private const int NameRandomBytes = 16;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly SafeMemoryMappedViewHandle _handle;
    private readonly byte* _base;
    private string? _pathToUnlink;
    private int _disposed;

    private RingRegion(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, int capacity, bool isCreator)
    {
        Path = path;
        _map = map;
        _view = view;
        _handle = view.SafeMemoryMappedViewHandle;
        Capacity = capacity;
        byte* pointer = null;
        _handle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
        _pathToUnlink = isCreator ? path : null;
    }

    /// <summary>Where the file was created (gone once <see cref="Unlink"/> ran); the only thing that travels to the peer.</summary>
    public string Path { get; }

    /// <summary>Bytes of data in each ring (a power of two).</summary>
    public int Capacity { get; }

    /// <summary>The directory the files live in: RAM-backed <c>/dev/shm</c> on Linux, else the temp directory.</summary>
    public static string Directory { get; } = OperatingSystem.IsLinux() && System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();

    /// <summary>Creates a zeroed region of two rings of <paramref name="capacity"/> bytes under a fresh random name, mode 0600.</summary>
    public static RingRegion Create(int capacity)
    {
        if (capacity < MinCapacity || capacity > MaxCapacity || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"A shared-memory ring holds a power of two between {MinCapacity:N0} and {MaxCapacity:N0} bytes.");
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        long total = TotalBytes(capacity);
        string path = System.IO.Path.Combine(Directory, NamePrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(NameRandomBytes)));
        var file = new FileStream(path, options);
        try
        {
            file.SetLength(total);
            RingRegion region = Map(path, file, total, capacity, isCreator: true);
            *(int*)(region._base + CapacityAt) = capacity;
            *(int*)(region._base + VersionAt) = LayoutVersion;
            Volatile.Write(ref *(uint*)(region._base + MagicAt), Magic);
            return region;
        }
        catch
        {
            file.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Maps the region a peer created, from the path and capacity its offer carried; checks it is one of ours and private.</summary>
    public static RingRegion Open(string path, int capacity)
    {
        string name = System.IO.Path.GetFileName(path);
        if (System.IO.Path.GetDirectoryName(path) != Directory.TrimEnd('/') || !name.StartsWith(NamePrefix, StringComparison.Ordinal) ||
            name.Length != NamePrefix.Length + (NameRandomBytes * 2) || !IsLowerHex(name.AsSpan(NamePrefix.Length)))
        {
            throw new InvalidDataException($"The peer offered '{path}' as its shared-memory rings, which is not a ring file this library creates (expected {Directory}/{NamePrefix}<32 hex digits>).");
        }

        if (capacity < MinCapacity || capacity > MaxCapacity || (capacity & (capacity - 1)) != 0)
        {
            throw new InvalidDataException($"The peer offered rings of {capacity:N0} bytes; a ring holds a power of two between {MinCapacity:N0} and {MaxCapacity:N0} bytes.");
        }

        long total = TotalBytes(capacity);
        // Owner, kind and links checked as for every shared-memory file this library opens; the exact mode on top.
        FileStream file;
        try
        {
            file = SharedMemory.OwnedFile.Open(path, FileAccess.ReadWrite);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidDataException($"The shared-memory ring file {path} is not private to this user; refusing to map it. {e.Message}", e);
        }

        try
        {
            if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(file.SafeFileHandle) != (UnixFileMode.UserRead | UnixFileMode.UserWrite))
            {
                throw new InvalidDataException($"The shared-memory ring file {path} is not private to this user (mode {File.GetUnixFileMode(file.SafeFileHandle)}); refusing to map it.");
            }

            if (file.Length != total)
            {
                throw new InvalidDataException($"The shared-memory ring file {path} holds {file.Length:N0} bytes, but rings of {capacity:N0} bytes need {total:N0}.");
            }

            RingRegion region = Map(path, file, total, capacity, isCreator: false);
            if (Volatile.Read(ref *(uint*)(region._base + MagicAt)) != Magic || *(int*)(region._base + VersionAt) != LayoutVersion || *(int*)(region._base + CapacityAt) != capacity)
            {
                region.Dispose();
                throw new InvalidDataException($"The shared-memory ring file {path} was not made by this version of Parallel.Gen.");
            }

            return region;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The data of ring <paramref name="ring"/> (0: creator → peer, 1: peer → creator).</summary>
    public byte* Data(int ring) => _base + HeaderBytes + ((long)ring * Capacity);

    /// <summary>The control block of ring <paramref name="ring"/>; fields at the <c>…At</c> offsets.</summary>
    public byte* Control(int ring) => _base + ControlAt + (ring * ControlBytes);

    /// <summary>Removes the file's name (the creator, once the peer mapped it, or on a failed handshake). Idempotent.</summary>
    public void Unlink()
    {
        string? path = Interlocked.Exchange(ref _pathToUnlink, null);
        if (path is not null)
        {
            File.Delete(path);
        }
    }

    /// <summary>Holds the mapping for one operation; throws <see cref="ObjectDisposedException"/> once this side disposed the transport.</summary>
    public void Enter()
    {
        bool added = false;
        _handle.DangerousAddRef(ref added);
    }

    public void Exit() => _handle.DangerousRelease();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Unlink();

        // Closing the view handle first makes every later Enter fail; the memory is unmapped when the last operation still
        // inside (holding a reference) leaves, never under its feet.
        _view.Dispose();
        _handle.ReleasePointer();
        _map.Dispose();
    }

    /// <summary>A plain loop on purpose: a worker checks one 32-character name in its life, and a vectorized search would first JIT several generic methods.</summary>
    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    private static long TotalBytes(int capacity) => HeaderBytes + (2L * capacity);

    private static RingRegion Map(string path, FileStream file, long total, int capacity, bool isCreator)
    {
        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(file, mapName: null, total, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        try
        {
            return new RingRegion(path, map, map.CreateViewAccessor(0, total, MemoryMappedFileAccess.ReadWrite), capacity, isCreator);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }
}
