namespace ParallelGen.Primitives;

/// <summary>Which way an end of a pipe works: a two-way pipe's ends do both, a one-way pipe's ends one each.</summary>
internal enum PipeDirection : byte
{
    Both = 0,
    ReceiveOnly = 1,
    SendOnly = 2,
}
