using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>
/// CaptureStacksOnTimeout needs no code from the user: when Parallel.Gen.Diagnostics is referenced (its capture type is visible), a module
/// initializer registers it; otherwise nothing is emitted.
/// </summary>
public sealed class StackCaptureRegistrationTests
{
    private const string Registration = "StackCaptureRegistration.g.cs";

    private const string Program = """
        using ParallelGen;

        using var pool = new ProcessPool(new ProcessPoolOptions { CaptureStacksOnTimeout = true });
        System.Console.WriteLine(pool.Apply(W.Square, 3));

        static class W
        {
            [Worker]
            public static int Square(int x) => x * x;
        }
        """;

    [Fact]
    public void ProgramThatSeesTheDiagnosticsPackageRegistersItsStackCaptureAtStartUp()
    {
        // Stands in for the package's type, with the same name and Register method.
        const string Package = """
            namespace ParallelGen.Diagnostics
            {
                public sealed class ClrMdStackCapture
                {
                    public static void Register() { }
                }
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation([("Program.cs", Program), ("Package.cs", Package)]));

        string source = run.Source(Registration);
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", source, StringComparison.Ordinal);
        Assert.Contains("global::ParallelGen.Diagnostics.ClrMdStackCapture.Register();", source, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutThePackageNothingIsRegistered()
    {
        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Program));

        Assert.DoesNotContain(Registration, run.HintNames);
    }
}
