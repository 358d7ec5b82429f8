namespace ParallelGen.Generators;

/// <summary>The <c>[GeneratedCode]</c> attribute every generated type carries, naming this generator's assembly and its version.</summary>
internal static class GeneratedCodeInfo
{
    /// <summary>The assembly version as major.minor.build (the package version without its suffix), read once from this assembly.</summary>
    public static readonly string Version = typeof(GeneratedCodeInfo).Assembly.GetName().Version is { } v
        ? v.Major + "." + v.Minor + "." + v.Build
        : "0.0.0";

    /// <summary><c>[global::System.CodeDom.Compiler.GeneratedCode("Parallel.Gen.Generators", "x.y.z")]</c></summary>
    public static readonly string Attribute =
        "[global::System.CodeDom.Compiler.GeneratedCode(\"Parallel.Gen.Generators\", \"" + Version + "\")]";
}
