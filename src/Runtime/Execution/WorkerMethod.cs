namespace ParallelGen.Execution;

/// <summary>A worker as the wire knows it: its stable id (a hash of its full signature) and a readable name for messages.</summary>
/// <param name="Id">Stable id, the same in every build of the same method signature.</param>
/// <param name="Name">Display name, e.g. <c>Jobs.Square(int)</c>.</param>
public readonly record struct WorkerMethod(ulong Id, string Name);
