namespace ParallelGen.Platform;

/// <summary>What a directory entry is, as far as the ownership checks care.</summary>
internal enum UnixFileKind
{
    Other,
    Regular,
    Directory,
    SymbolicLink,
}
