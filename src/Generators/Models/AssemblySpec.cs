namespace ParallelGen.Generators.Models;

/// <summary>The facts about the compilation the generator needs: its name, whether it is an executable, the worker tables it references.</summary>
internal sealed record AssemblySpec(string AssemblyName, bool IsExecutable, EquatableArray<string> ReferencedTables)
{
    public string TableTypeName => "WorkerTable_" + Sanitize(AssemblyName);

    private static string Sanitize(string name)
    {
        var text = new System.Text.StringBuilder(name.Length);
        foreach (char c in name)
        {
            text.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return text.ToString();
    }
}
