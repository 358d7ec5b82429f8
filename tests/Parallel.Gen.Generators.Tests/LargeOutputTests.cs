using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>
/// Big generated files reach the compiler in chunks: a string over 85,000 bytes is a large-object-heap allocation, and
/// those are what start a compile's full garbage collections (see docs/architecture.md, generator performance).
/// </summary>
public sealed class LargeOutputTests
{
    /// <summary>Characters from which the compiler keeps a text in chunks rather than as one string (its own threshold).</summary>
    private const int ChunkedFrom = 40 * 1024;

    [Fact]
    public void AWriterHandsOverABigTextInChunksAndASmallOneAsAString()
    {
        var big = new IndentedWriter();
        big.Open("namespace Big");
        for (int i = 0; i < 5_000; i++)
        {
            big.Line("// line " + i + ": ünïcødé and\ttabs");
        }

        big.Close();
        string expected = big.ToString();
        Assert.True(expected.Length > ChunkedFrom);

        SourceText text = big.ToSourceText();
        Assert.Equal(expected, text.ToString());
        Assert.Equal(expected.Length, text.Length);
        Assert.Equal(Encoding.UTF8, text.Encoding);
        Assert.True(text.ContentEquals(SourceText.From(expected, Encoding.UTF8)), "The chunked text reads differently from the string.");
        Assert.Equal(SourceText.From(expected, Encoding.UTF8).GetChecksum(), text.GetChecksum());
        Assert.Equal(expected.Substring(ChunkedFrom - 10, 100), text.ToString(new TextSpan(ChunkedFrom - 10, 100)));
        Assert.Equal(SourceText.From(expected, Encoding.UTF8).Lines.Count, text.Lines.Count);
        Assert.NotEqual("StringText", text.GetType().Name);

        var small = new IndentedWriter();
        small.Line("class Small { }");
        Assert.Equal("class Small { }\n", small.ToSourceText().ToString());
        Assert.Equal(Encoding.UTF8, small.ToSourceText().Encoding);
    }

    [Fact]
    public void HundredsOfWorkersAndCallsCompileFromChunkedFiles()
    {
        const int Workers = 300;
        var source = new StringBuilder("""
            using ParallelGen;

            namespace Bench;

            """);
        for (int i = 0; i < Workers; i++)
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"public sealed record Item{i}(int Id, string Name, double Score, long[] Values);");
        }

        source.AppendLine("public static class Jobs").AppendLine("{");
        for (int i = 0; i < Workers; i++)
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"    [Worker] public static int W{i}(Item{i} item) => item.Id + {i};");
        }

        source.AppendLine("}").AppendLine("public static class Calls").AppendLine("{");
        for (int i = 0; i < Workers; i++)
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"    public static int Run{i}(WorkerPool pool, Item{i}[] items) => pool.Map(Jobs.W{i}, items).Length;");
        }

        source.AppendLine("}").AppendLine("public static class Program { public static void Main() { } }");

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(source.ToString()));

        foreach (string hintName in new[] { "WorkerTable_TestApp.g.cs", "PoolInterceptors.g.cs", "WireCodecs.g.cs" })
        {
            SourceText text = run.Result.GeneratedSources.Single(s => s.HintName == hintName).SourceText;
            Assert.True(text.Length > ChunkedFrom, $"{hintName} is {text.Length} characters: too small to test chunking.");
            Assert.NotEqual("StringText", text.GetType().Name);
        }

        string interceptors = run.Source("PoolInterceptors.g.cs");
        Assert.Equal(Workers, CountOf(interceptors, "[global::System.Runtime.CompilerServices.InterceptsLocation("));
        string codecs = run.Source("WireCodecs.g.cs");
        for (int i = 0; i < Workers; i++)
        {
            Assert.Contains("global::Bench.Item" + i + " ", codecs, StringComparison.Ordinal);
        }
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
