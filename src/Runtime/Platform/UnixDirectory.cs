using System.Runtime.InteropServices;

namespace ParallelGen.Platform;

/// <summary>Directory operations that must not be fooled by what another local user planted in a shared directory such as <c>/tmp</c>.</summary>
internal static partial class UnixDirectory
{
    private const int AlreadyExists = 17;

    /// <summary>
    /// Creates <paramref name="path"/> with mode 0700, failing (<see langword="false"/>) when anything already has that name, a
    /// directory or link someone else made included: <c>Directory.CreateDirectory</c> would accept an existing directory.
    /// </summary>
    public static bool TryCreatePrivate(string path)
    {
        if (MakeDirectory(path, 0x1C0 /* 0700 */) == 0)
        {
            return true;
        }

        int error = Marshal.GetLastPInvokeError();
        return error == AlreadyExists ? false : throw new IOException($"Could not create the private directory {path} (errno {error}).");
    }

    /// <summary>
    /// Deletes <paramref name="path"/> and what it holds only when it is a real directory (not a link) owned by this user:
    /// a <c>pgen-*</c> name in <c>/tmp</c> proves nothing, since any user can create one. Links inside are removed, never
    /// followed. Returns whether it was deleted; failures are quiet (this is a best-effort cleanup).
    /// </summary>
    public static bool TryDeleteOwned(string path)
    {
        if (!UnixFileStatus.IsSupported)
        {
            return false;
        }

        try
        {
            if (UnixFileStatus.OfPath(path) is not { Kind: UnixFileKind.Directory } status || status.OwnerId != UnixFileStatus.CurrentUserId)
            {
                return false;
            }

            // Only its owner can rename or replace an entry of a sticky directory like /tmp, so what was checked is what is deleted.
            Directory.Delete(path, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeDirectory(string path, uint mode);
}
