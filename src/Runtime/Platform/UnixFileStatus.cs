using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ParallelGen.Platform;

/// <summary>
/// Who owns a file and what it is, from the kernel (Linux <c>statx</c>): .NET has no API for a file's owner, and the
/// checks that keep another local user from planting files for us (in <c>/tmp</c>, in <c>/dev/shm</c>) need it.
/// <c>statx</c> rather than <c>stat</c> because its buffer has one layout on every architecture; blittable, so AOT-safe.
/// </summary>
internal readonly partial record struct UnixFileStatus(uint OwnerId, UnixFileKind Kind, UnixFileMode Mode, ulong Inode, ulong Device)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int BufferSize = 256;

    /// <summary>Whether the kernel can answer (Linux); elsewhere callers fall back to what .NET can tell.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>This process's effective user id: the owner of every file it creates.</summary>
    public static uint CurrentUserId => OperatingSystem.IsWindows() ? 0 : GetEffectiveUserId();

    /// <summary>"uid 65534", for messages.</summary>
    public string OwnerDescription => $"uid {OwnerId}";

    /// <summary>The path itself, never what a link points to; <see langword="null"/> when nothing is there.</summary>
    public static UnixFileStatus? OfPath(string path)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            return error is 2 or 20 ? null : throw new IOException($"Could not read the status of {path} (errno {error}).");
        }

        return Parse(buffer);
    }

    /// <summary>The file an open handle refers to.</summary>
    public static UnixFileStatus OfHandle(SafeFileHandle handle, string path)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                throw new IOException($"Could not read the status of the open file {path} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return Parse(buffer);
    }

    /// <summary>Whether this is a file or directory the current user owns and no one else may open: not planted by another user.</summary>
    public bool IsPrivateTo(uint user) => OwnerId == user && (Mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) == 0;

    /// <summary>"uid 65534, mode 0666, a symbolic link", for messages.</summary>
    public override string ToString() => $"owner uid {OwnerId}, mode {Convert.ToString((int)Mode, 8).PadLeft(4, '0')}, {Kind switch { UnixFileKind.Directory => "a directory", UnixFileKind.SymbolicLink => "a symbolic link", UnixFileKind.Regular => "a regular file", _ => "a special file" }}";

    private static UnixFileStatus Parse(ReadOnlySpan<byte> buffer)
    {
        // struct statx: stx_uid at 20, stx_mode (u16) at 28, stx_ino at 32, stx_dev_major/minor at 136/140.
        uint uid = BinaryPrimitives.ReadUInt32LittleEndian(buffer[20..]);
        ushort mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]);
        ulong inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]);
        ulong device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer[140..]);
        UnixFileKind kind = (mode & 0xF000) switch
        {
            0x4000 => UnixFileKind.Directory,
            0x8000 => UnixFileKind.Regular,
            0xA000 => UnixFileKind.SymbolicLink,
            _ => UnixFileKind.Other,
        };
        return new UnixFileStatus(uid, kind, (UnixFileMode)(mode & 0xFFF), inode, device);
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
