using ParallelGen.Platform;

namespace ParallelGen.SharedMemory;

/// <summary>
/// Opens an existing shared memory file only when this user made it: <c>/dev/shm</c> is writable by every local user, so a
/// name can be taken first by someone else (a file open to all, a link to one of the victim's files, a FIFO that blocks).
/// Mapping such a file would let its owner read and write the data, hold the lock word forever or truncate it (SIGBUS).
/// </summary>
internal static class OwnedFile
{
    private const UnixFileMode OthersMayOpen = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <exception cref="FileNotFoundException">Nothing has that name.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is a link, not a regular file, owned by another user, or open to group or others.</exception>
    public static FileStream Open(string path, FileAccess access)
    {
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, FileMode.Open, access, FileShare.ReadWrite | FileShare.Delete);
        }

        if (!UnixFileStatus.IsSupported)
        {
            return OpenChecked(path, access);
        }

        // Checked before opening (a FIFO would block the open; a link must not be followed) and again on the handle,
        // so a file swapped in between is caught too.
        UnixFileStatus named = UnixFileStatus.OfPath(path) ?? throw new FileNotFoundException($"{path} does not exist.", path);
        Refuse(path, named);
        var file = new FileStream(path, FileMode.Open, access, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            UnixFileStatus opened = UnixFileStatus.OfHandle(file.SafeFileHandle, path);
            if (opened.Inode != named.Inode || opened.Device != named.Device)
            {
                throw new UnauthorizedAccessException($"The shared memory file {path} was replaced while it was being opened; refusing it. Another local user may be interfering with {System.IO.Path.GetDirectoryName(path)}.");
            }

            Refuse(path, opened);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static void Refuse(string path, UnixFileStatus status)
    {
        if (status.Kind != UnixFileKind.Regular || !status.IsPrivateTo(UnixFileStatus.CurrentUserId))
        {
            throw new UnauthorizedAccessException(
                $"Refusing to open the shared memory file {path} ({status}): Parallel.Gen only opens regular files that this user " +
                $"(uid {UnixFileStatus.CurrentUserId}) owns and that group and others can't open, as it creates them. Another user may have " +
                "created the name first to read or tamper with the data: remove that file, or choose another name.");
        }
    }

    /// <summary>Where .NET can't tell the owner: at least no link and no access for group or others.</summary>
    private static FileStream OpenChecked(string path, FileAccess access)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || (info.Exists && (info.UnixFileMode & OthersMayOpen) != 0))
        {
            throw new UnauthorizedAccessException($"Refusing to open the shared memory file {path} (mode {Convert.ToString((int)info.UnixFileMode, 8)}{(info.LinkTarget is null ? "" : ", a symbolic link")}): Parallel.Gen only opens files that group and others can't open, as it creates them.");
        }

        return new FileStream(path, FileMode.Open, access, FileShare.ReadWrite | FileShare.Delete);
    }
}
