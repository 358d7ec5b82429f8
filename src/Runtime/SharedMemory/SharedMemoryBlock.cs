using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using ParallelGen.Serialization;

namespace ParallelGen.SharedMemory;

/// <summary>What a block holds; checked when another process opens it, so a handle can't be read as the wrong thing.</summary>
internal enum SharedMemoryKind
{
    Value = 1,
    Array = 2,
    Lock = 3,
    RLock = 4,
    Semaphore = 5,
    Event = 6,
    Condition = 7,
    Barrier = 8,
}

/// <summary>
/// A memory-mapped file that several processes map at once: a 64-byte header (layout, sizes, the
/// creator, how many processes have it open, and a lock) followed by the payload.
/// </summary>
/// <remarks>
/// <para>
/// The file lives in <c>/dev/shm</c> (RAM-backed) where it exists, else in the temp directory, and
/// is created with mode 0600: only this user can open it. .NET's named maps don't exist on Unix,
/// so the name travels as a path inside the handle.
/// </para>
/// <para>
/// Lifetime: one mapping per process per block, shared by every object that process holds for it.
/// The creating process owns the name: when its last object for the block is disposed (or the process
/// exits normally), the file is unlinked. Processes that already mapped it keep using the memory (an
/// unlinked file lives as long as someone maps it); a process that tries to open it after that gets
/// <see cref="ObjectDisposedException"/>. The header counts the processes that have it open, so when
/// the creator died without unlinking, the last process to let go removes the file instead.
/// A plain cross-process reference count was not enough: pool workers are killed, not disposed, and
/// worker code rarely disposes its parameters, so counts would never reach zero and files would leak.
/// </para>
/// </remarks>
internal sealed unsafe class SharedMemoryBlock : IProcessLockOwner, ILockWords
{
    public const int HeaderSize = 64;
    private const uint Magic = 0x4D534750; // "PGSM"
    private const int LayoutVersion = 2; // 2: the lock is a FutexLock (five words at LockAt), not a 64-bit spin word
    private const string NamePrefix = "pgen-shm-";
    private const string UserNamePrefix = "pgen-named-";
    private const int MaxUserNameLength = 200;
    private const int NameRandomBytes = 16;

    // Header layout. Every process maps the same bytes: offsets never change meaning within a layout version.
    private const int MagicAt = 0;
    private const int VersionAt = 4;
    private const int PayloadBytesAt = 8;
    private const int ElementSizeAt = 16;
    private const int KindAt = 20;
    private const int CreatorPidAt = 24;
    private const int OpenCountAt = 28;
    private const int FlagsAt = 32;
    private const int LockAt = 36; // FutexLock.WordCount words: 36..55
    private const int TypeTagAt = 56;
    private const int UnlinkedFlag = 1;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");
    private static readonly System.Buffers.SearchValues<char> NameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
    private static readonly Lock s_gate = new();
    private static readonly Dictionary<string, SharedMemoryBlock> s_open = new(StringComparer.Ordinal);
    private static string? s_directory;
    private static bool s_exitHookInstalled;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _base;
    private int _localReferences;

    private SharedMemoryBlock(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, bool isCreator, long count, int elementSize)
    {
        Path = path;
        _map = map;
        _view = view;
        IsCreator = isCreator;
        Count = count;
        ElementSize = elementSize;
        _localReferences = 1;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    /// <summary>The backing file; what a handle carries.</summary>
    public string Path { get; }

    public bool IsCreator { get; }

    public long Count { get; }

    public int ElementSize { get; }

    public byte* Payload => Base + HeaderSize;

    /// <summary>How many processes have the block open (diagnostics and tests).</summary>
    public int OpenCount => Volatile.Read(ref Field<int>(OpenCountAt));

    /// <summary>How many times a waiter took the lock over from a process that died holding it.</summary>
    public int AbandonedCount => FutexLock.AbandonedCount(LockWords);

    /// <summary>Where the block's <see cref="FutexLock"/> (re-entrant form) lives in the header.</summary>
    public int* LockWords => (int*)(Base + LockAt);

    private byte* Base => _base != null ? _base : throw new ObjectDisposedException("shared memory block", $"The shared memory object backed by {Path} was disposed in this process.");

    /// <summary>
    /// The name another process passes to <c>Open</c>: the user's name for a named block, else the file's
    /// own name (<c>pgen-shm-…</c>), as Python's <c>SharedMemory.name</c>.
    /// </summary>
    public string Name
    {
        get
        {
            string file = System.IO.Path.GetFileName(Path);
            return file.StartsWith(UserNamePrefix, StringComparison.Ordinal) ? file[UserNamePrefix.Length..] : file;
        }
    }

    /// <summary>
    /// Creates a zero-filled block of <paramref name="count"/> elements of <paramref name="elementSize"/> bytes:
    /// under a random name, or under <paramref name="name"/> so that unrelated processes can <see cref="OpenNamed"/> it.
    /// <paramref name="typeTag"/> (a hash of the element type) lets <see cref="OpenNamed"/> tell apart types of the same size.
    /// </summary>
    public static SharedMemoryBlock Create(SharedMemoryKind kind, int elementSize, long count, string? name = null, int typeTag = 0)
    {
        long total = checked(HeaderSize + (count * elementSize));
        (string path, FileStream file) = name is null ? CreateFile(total) : CreateNamedFile(name, total);
        SharedMemoryBlock block;
        try
        {
            MemoryMappedFile map = MemoryMappedFile.CreateFromFile(file, mapName: null, total, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            block = new SharedMemoryBlock(path, map, map.CreateViewAccessor(0, total, MemoryMappedFileAccess.ReadWrite), isCreator: true, count, elementSize);
        }
        catch
        {
            file.Dispose();
            TryDelete(path);
            throw;
        }

        block.Field<int>(VersionAt) = LayoutVersion;
        block.Field<long>(PayloadBytesAt) = count * elementSize;
        block.Field<int>(ElementSizeAt) = elementSize;
        block.Field<int>(KindAt) = (int)kind;
        block.Field<int>(CreatorPidAt) = Environment.ProcessId;
        block.Field<int>(OpenCountAt) = 1;
        block.Field<int>(TypeTagAt) = typeTag;
        Volatile.Write(ref block.Field<uint>(MagicAt), Magic);
        lock (s_gate)
        {
            s_open.Add(path, block);
            InstallExitHook();
        }

        return block;
    }

    /// <summary>Opens a block another process created, from the facts its handle carried; one mapping per process.</summary>
    public static SharedMemoryBlock Attach(string path, SharedMemoryKind kind, int elementSize, long count)
    {
        ValidateName(path);
        lock (s_gate)
        {
            if (s_open.TryGetValue(path, out SharedMemoryBlock? open))
            {
                open.CheckShape(kind, elementSize, count);
                open._localReferences++;
                return open;
            }
        }

        long total = checked(HeaderSize + (count * elementSize));
        FileStream file;
        try
        {
            file = OwnedFile.Open(path, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Gone(path, e);
        }

        SharedMemoryBlock block;
        try
        {
            if (file.Length != total)
            {
                throw new WireFormatException($"The shared memory file {path} holds {file.Length:N0} bytes but its handle describes {count:N0} elements of {elementSize} bytes: the handle is corrupt or from another build.");
            }

            MemoryMappedFile map = MemoryMappedFile.CreateFromFile(file, mapName: null, total, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            block = new SharedMemoryBlock(path, map, map.CreateViewAccessor(0, total, MemoryMappedFileAccess.ReadWrite), isCreator: false, count, elementSize);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        try
        {
            if (Volatile.Read(ref block.Field<uint>(MagicAt)) != Magic || block.Field<int>(VersionAt) != LayoutVersion)
            {
                throw new WireFormatException($"{path} is not a Parallel.Gen shared memory block of this version.");
            }

            block.CheckShape(kind, elementSize, count);
            if ((Volatile.Read(ref block.Field<int>(FlagsAt)) & UnlinkedFlag) != 0)
            {
                throw Gone(path, null);
            }
        }
        catch
        {
            block.Unmap();
            throw;
        }

        Interlocked.Increment(ref block.Field<int>(OpenCountAt));
        lock (s_gate)
        {
            if (s_open.TryGetValue(path, out SharedMemoryBlock? raced))
            {
                // Another thread of this process opened it meanwhile: keep one mapping.
                raced._localReferences++;
                Interlocked.Decrement(ref block.Field<int>(OpenCountAt));
                block.Unmap();
                return raced;
            }

            s_open.Add(path, block);
        }

        return block;
    }

    /// <summary>
    /// Opens a block by the name its creator gave (or by <see cref="Name"/>): reads the shape from its header,
    /// checks it holds a <paramref name="kind"/> of <paramref name="elementSize"/>-byte elements tagged
    /// <paramref name="typeTag"/>, and maps it. <paramref name="what"/> names the caller's type in errors.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing of that name exists (never created, or its creator disposed it).</exception>
    /// <exception cref="InvalidOperationException">The name holds something else.</exception>
    public static SharedMemoryBlock OpenNamed(string name, SharedMemoryKind kind, int elementSize, int typeTag, string what)
    {
        string path = PathOf(name);
        Span<byte> header = stackalloc byte[HeaderSize];
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using FileStream file = OwnedFile.Open(path, FileAccess.Read);
                int read = file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
                if (read == HeaderSize && BitConverter.ToUInt32(header[MagicAt..]) == Magic)
                {
                    break;
                }
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new FileNotFoundException(
                    $"There is no shared memory named '{name}' ({path} does not exist): it was never created, or the process that created it disposed it or exited. " +
                    $"Create it with {what}.Create(\"{name}\", ...) first, and keep that object alive while others open it.", path, e);
            }

            // The creator sizes the file before it writes the header: give it a moment, then say what was found.
            if (attempt >= 200)
            {
                throw new InvalidOperationException($"The shared memory named '{name}' ({path}) is not a Parallel.Gen shared memory block (no valid header).");
            }

            Thread.Sleep(10);
        }

        var foundKind = (SharedMemoryKind)BitConverter.ToInt32(header[KindAt..]);
        int foundElementSize = BitConverter.ToInt32(header[ElementSizeAt..]);
        long foundBytes = BitConverter.ToInt64(header[PayloadBytesAt..]);
        int foundTag = BitConverter.ToInt32(header[TypeTagAt..]);
        if (BitConverter.ToInt32(header[VersionAt..]) != LayoutVersion || foundElementSize <= 0)
        {
            throw new InvalidOperationException($"The shared memory named '{name}' ({path}) was made by another version of Parallel.Gen.");
        }

        long foundCount = foundBytes / foundElementSize;
        if (foundKind != kind || foundElementSize != elementSize || (typeTag != 0 && foundTag != 0 && foundTag != typeTag))
        {
            string sameSize = foundKind == kind && foundElementSize == elementSize ? " (an element type of the same size, but not the same type)" : "";
            throw new InvalidOperationException(
                $"The shared memory named '{name}' holds a {Describe(foundKind)} of {foundCount:N0} element(s) of {foundElementSize} bytes{sameSize}, " +
                $"so it can't be opened as a {what} ({elementSize}-byte elements). Open it with the type it was created with.");
        }

        return Attach(path, kind, elementSize, foundCount);
    }

    /// <summary>One more object of this process uses the block.</summary>
    public void AddReference()
    {
        lock (s_gate)
        {
            _localReferences++;
        }
    }

    /// <summary>One object of this process is done with the block; the last one unmaps it (and the creator unlinks the name).</summary>
    public void Release()
    {
        lock (s_gate)
        {
            if (--_localReferences > 0)
            {
                return;
            }

            s_open.Remove(Path);
        }

        int stillOpen = Interlocked.Decrement(ref Field<int>(OpenCountAt));
        if (IsCreator || (stillOpen <= 0 && !ProcessLiveness.IsAlive(Field<int>(CreatorPidAt))))
        {
            Unlink();
        }

        Unmap();
    }

    /// <summary>Takes the block's lock (re-entrant for the holding thread). Returns the dead process it was taken over from, else 0.</summary>
    public int EnterLock()
    {
        FutexLock.TryEnter(this, Timeout.InfiniteTimeSpan, out int abandonedBy);
        return abandonedBy;
    }

    /// <summary>A user's <c>Lock()</c> of <paramref name="what"/> (a SharedValue or SharedArray): see <see cref="TryEnterUserLock(TimeSpan, string)"/>.</summary>
    public ProcessLockScope EnterUserLock(string what)
    {
        TryEnterUserLock(Timeout.InfiniteTimeSpan, what);
        return new ProcessLockScope(this);
    }

    /// <summary>
    /// A user's <c>TryLock(TimeSpan, out scope)</c> of <paramref name="what"/>: <paramref name="scope"/> is
    /// <see langword="default"/> (releasing nothing) when the time ran out.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public bool TryEnterUserLock(TimeSpan timeout, string what, out ProcessLockScope scope)
    {
        WaitTimeout.Validate(timeout);
        scope = default;
        if (!TryEnterUserLock(timeout, what))
        {
            return false;
        }

        scope = new ProcessLockScope(this);
        return true;
    }

    /// <summary>
    /// Takes the lock for a user's <c>Lock()</c>/<c>TryLock()</c>: when it was taken over from a dead process, throws
    /// <see cref="AbandonedMutexException"/> with the lock held (the .NET convention; the caller releases it).
    /// </summary>
    private bool TryEnterUserLock(TimeSpan timeout, string what)
    {
        if (!FutexLock.TryEnter(this, timeout, out int abandonedBy))
        {
            return false;
        }

        return abandonedBy == 0 ? true : throw Abandoned(what, abandonedBy, held: true);
    }

    /// <summary>The exception for a lock taken over from <paramref name="deadProcess"/>.</summary>
    public static AbandonedMutexException Abandoned(string what, int deadProcess, bool held) => new(
        $"The lock of this {what} was held by process {deadProcess}, which exited or was killed without releasing it" +
        (held
            ? ". This thread holds it now; the data it guarded may be half-updated. Check or repair it, then release the lock (Unlock())."
            : "; the value just read or written may have been half-updated by it."),
        location: -1,
        handle: null);

    /// <summary>Releases one level of the lock held by this thread.</summary>
    public void ExitLock()
    {
        if (!FutexLock.TryExit(LockWords))
        {
            throw new SynchronizationLockException(
                $"Thread {Environment.CurrentManagedThreadId} of process {Environment.ProcessId} released the lock of the shared memory behind {Path} but doesn't hold it " +
                "(released twice, or from another thread than the one that took it).");
        }
    }

    internal static string SharedDirectory
    {
        get
        {
            if (s_directory is { } known)
            {
                return known;
            }

            string directory = OperatingSystem.IsLinux() && Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
            return s_directory = directory;
        }
    }

    private ref TField Field<TField>(int offset)
        where TField : unmanaged => ref *(TField*)(Base + offset);

    private void CheckShape(SharedMemoryKind kind, int elementSize, long count)
    {
        if (Field<int>(KindAt) != (int)kind || Field<int>(ElementSizeAt) != elementSize || Field<long>(PayloadBytesAt) != count * elementSize)
        {
            throw new WireFormatException(
                $"The shared memory block {Path} holds a {(SharedMemoryKind)Field<int>(KindAt)} of {Field<long>(PayloadBytesAt):N0} bytes in {Field<int>(ElementSizeAt)}-byte elements, " +
                $"but its handle says {kind} of {count:N0} × {elementSize} bytes: the sender and receiver disagree on its type.");
        }
    }

    private void Unlink()
    {
        if (_base != null)
        {
            Interlocked.Or(ref Field<int>(FlagsAt), UnlinkedFlag);
        }

        TryDelete(Path);
    }

    private void Unmap()
    {
        if (_base == null)
        {
            return;
        }

        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    private static (string Path, FileStream File) CreateFile(long length)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        string directory = SharedDirectory;
        for (int attempt = 0; ; attempt++)
        {
            string path = System.IO.Path.Combine(directory, NamePrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(NameRandomBytes)));
            try
            {
                var file = new FileStream(path, options);
                try
                {
                    file.SetLength(length);
                }
                catch
                {
                    file.Dispose();
                    TryDelete(path);
                    throw;
                }

                return (path, file);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException && directory != System.IO.Path.GetTempPath())
            {
                // /dev/shm exists but isn't usable here (some containers): fall back to the temp directory.
                directory = s_directory = System.IO.Path.GetTempPath();
            }
            catch (IOException) when (attempt < 3 && File.Exists(path))
            {
                // A name collision (128 random bits: practically never); pick another.
            }
        }
    }

    /// <summary>A stable hash of the element type's name (FNV-1a), kept in the header so that <see cref="OpenNamed"/> tells <c>int</c> from <c>float</c>.</summary>
    public static int TypeTag<T>()
    {
        uint hash = 2166136261;
        foreach (char c in typeof(T).FullName ?? typeof(T).Name)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash | 1);
    }

    /// <summary>Checks a name a user chose for shared memory, saying what is wrong with it.</summary>
    /// <exception cref="ArgumentException">Empty, too long, or with a character other than letters, digits, '-', '_' and '.'.</exception>
    public static void ValidateUserName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Length > MaxUserNameLength)
        {
            throw new ArgumentException($"A shared memory name must have 1 to {MaxUserNameLength} characters; '{name}' has {name.Length}.", nameof(name));
        }

        int bad = name.AsSpan().IndexOfAnyExcept(NameCharacters);
        if (bad >= 0 || name[0] == '.')
        {
            string what = bad >= 0 ? $"'{name[bad]}' at position {bad}" : "a leading '.'";
            throw new ArgumentException(
                $"The shared memory name '{name}' has {what}: use letters, digits, '-', '_' and '.' (not first), as in \"sensor-frames\". " +
                "The name becomes a file name in " + SharedDirectory + ", which is why '/' and the like are refused.", nameof(name));
        }
    }

    private static string PathOf(string name)
    {
        // A block's own name (pgen-shm-…, what Name returns for an unnamed block) opens that block; anything else is a user's name.
        if (IsRandomName(name))
        {
            return System.IO.Path.Combine(SharedDirectory, name);
        }

        ValidateUserName(name);
        return System.IO.Path.Combine(SharedDirectory, UserNamePrefix + name);
    }

    private static bool IsRandomName(string name) =>
        name.StartsWith(NamePrefix, StringComparison.Ordinal) && name.Length == NamePrefix.Length + (2 * NameRandomBytes)
        && name.AsSpan(NamePrefix.Length).IndexOfAnyExcept(HexDigits) < 0;

    private static string Describe(SharedMemoryKind kind) => kind switch
    {
        SharedMemoryKind.Value => "SharedValue",
        SharedMemoryKind.Array => "SharedArray",
        _ => kind.ToString(),
    };

    private static (string Path, FileStream File) CreateNamedFile(string name, long length)
    {
        if (IsRandomName(name))
        {
            throw new ArgumentException($"'{name}' looks like the name of an unnamed block (pgen-shm-…); pick another name.", nameof(name));
        }

        string path = PathOf(name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream file;
        try
        {
            file = new FileStream(path, options);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new IOException(
                $"Shared memory named '{name}' already exists ({path}): another object (in this or another process) created it and hasn't disposed it. " +
                "Open it with Open(name), or pick another name. A file left by a process that was killed can be deleted by hand.", e);
        }

        try
        {
            file.SetLength(length);
        }
        catch
        {
            file.Dispose();
            TryDelete(path);
            throw;
        }

        return (path, file);
    }

    private static void ValidateName(string path)
    {
        string name = System.IO.Path.GetFileName(path);
        bool userNamed = name.StartsWith(UserNamePrefix, StringComparison.Ordinal) && name.Length > UserNamePrefix.Length
            && name.Length <= UserNamePrefix.Length + MaxUserNameLength && name.AsSpan(UserNamePrefix.Length).IndexOfAnyExcept(NameCharacters) < 0;
        if (!System.IO.Path.IsPathFullyQualified(path) || !(IsRandomName(name) || userNamed))
        {
            throw new WireFormatException($"'{path}' is not the name of a Parallel.Gen shared memory block: the handle is corrupt.");
        }
    }

    private static ObjectDisposedException Gone(string path, Exception? inner) => new(
        $"The shared memory behind {path} is gone: the process that created it disposed it (or exited) before this process opened it. " +
        "Keep the SharedArray/SharedValue alive in its creator until the other processes have started using it (e.g. until Join()).",
        inner);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void InstallExitHook()
    {
        if (s_exitHookInstalled)
        {
            return;
        }

        s_exitHookInstalled = true;

        // A program that forgets Dispose still leaves nothing in /dev/shm when it exits normally.
        AppDomain.CurrentDomain.ProcessExit += static (_, _) =>
        {
            SharedMemoryBlock[] open;
            lock (s_gate)
            {
                open = [.. s_open.Values];
            }

            foreach (SharedMemoryBlock block in open)
            {
                if (block.IsCreator)
                {
                    TryDelete(block.Path);
                }
            }
        };
    }
}
