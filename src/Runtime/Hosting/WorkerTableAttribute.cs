using System.ComponentModel;

namespace ParallelGen.Hosting;

/// <summary>
/// Names the generated worker table of an assembly, so that an executable referencing it composes
/// that table into its own at compile time (no assembly scanning, no reflection at run time).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class WorkerTableAttribute : Attribute
{
    /// <summary>Records <paramref name="tableType"/> as this assembly's worker table.</summary>
    public WorkerTableAttribute(Type tableType)
    {
        TableType = tableType;
    }

    /// <summary>The generated table type.</summary>
    public Type TableType { get; }
}
