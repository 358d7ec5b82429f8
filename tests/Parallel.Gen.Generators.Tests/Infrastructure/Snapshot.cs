using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace ParallelGen.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated files with checked-in snapshots, <c>Snapshots/&lt;Test&gt;.&lt;Hint&gt;.verified.cs</c>.
/// A mismatch writes <c>.received.cs</c> beside the snapshot and fails with the first differing lines;
/// setting <c>PARALLELGEN_ACCEPT_SNAPSHOTS=1</c> overwrites the snapshots with what was generated instead.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "PARALLELGEN_ACCEPT_SNAPSHOTS";

    private const string VerifiedSuffix = ".verified.cs";
    private const string ReceivedSuffix = ".received.cs";
    private const int ContextLines = 3;
    private const int ShownLines = 12;

    private static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    /// <summary>
    /// Checks every file of <paramref name="run"/> against its snapshot, and that no snapshot of the test is left
    /// without a generated file (a file the generator no longer emits).
    /// </summary>
    public static void Verify(GeneratorRun run, [CallerMemberName] string testName = "", [CallerFilePath] string callerFile = "")
    {
        string directory = SnapshotDirectory(callerFile);
        var failures = new List<string>();
        var expectedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (string hintName in run.HintNames)
        {
            string name = testName + "." + StripSuffix(hintName, ".g.cs");
            expectedFiles.Add(name + VerifiedSuffix);
            if (Compare(directory, name, run.Source(hintName)) is { } failure)
            {
                failures.Add(failure);
            }
        }

        foreach (string stale in Directory.EnumerateFiles(directory, testName + ".*" + VerifiedSuffix).Select(Path.GetFileName).OfType<string>())
        {
            if (!expectedFiles.Contains(stale))
            {
                if (Accepting)
                {
                    File.Delete(Path.Combine(directory, stale));
                }
                else
                {
                    failures.Add($"Snapshot {stale} has no generated file any more (generated: {string.Join(", ", run.HintNames)}). Delete it, or run with {AcceptVariable}=1.");
                }
            }
        }

        if (failures.Count > 0)
        {
            Assert.Fail(string.Join("\n\n", failures));
        }
    }

    /// <summary>Returns <see langword="null"/> if <paramref name="actual"/> matches (or was accepted as) the snapshot <paramref name="name"/>; else what differs.</summary>
    private static string? Compare(string directory, string name, string actual)
    {
        string verifiedPath = Path.Combine(directory, name + VerifiedSuffix);
        string receivedPath = Path.Combine(directory, name + ReceivedSuffix);
        actual = Normalize(actual);
        if (Accepting)
        {
            File.WriteAllText(verifiedPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Delete(receivedPath);
            return null;
        }

        string? expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return null;
        }

        File.WriteAllText(receivedPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        string howToAccept = $"If the new output is right, copy {Path.GetFileName(receivedPath)} over {Path.GetFileName(verifiedPath)}, or rerun with {AcceptVariable}=1.";
        return expected is null
            ? $"Snapshot {name}{VerifiedSuffix} doesn't exist; the generated text is in {receivedPath}.\n{howToAccept}"
            : $"Snapshot {name}{VerifiedSuffix} differs from the generated text (written to {receivedPath}).\n{Diff(expected, actual)}{howToAccept}";
    }

    /// <summary>The first differing line with some context, as <c>-</c> (snapshot) and <c>+</c> (generated) lines.</summary>
    internal static string Diff(string expected, string actual)
    {
        string[] expectedLines = expected.Split('\n');
        string[] actualLines = actual.Split('\n');
        int first = 0;
        while (first < expectedLines.Length && first < actualLines.Length && expectedLines[first] == actualLines[first])
        {
            first++;
        }

        var text = new StringBuilder();
        text.Append("First difference at line ").Append(first + 1).Append(" (snapshot ").Append(expectedLines.Length)
            .Append(" lines, generated ").Append(actualLines.Length).AppendLine(" lines):");
        for (int i = Math.Max(0, first - ContextLines); i < first; i++)
        {
            text.Append("   ").Append(LineNumber(i)).Append("  ").AppendLine(expectedLines[i]);
        }

        AppendLines(text, '-', expectedLines, first);
        AppendLines(text, '+', actualLines, first);
        return text.ToString();
    }

    private static void AppendLines(StringBuilder text, char marker, string[] lines, int first)
    {
        int end = Math.Min(lines.Length, first + ShownLines);
        for (int i = first; i < end; i++)
        {
            text.Append(' ').Append(marker).Append(' ').Append(LineNumber(i)).Append("  ").AppendLine(lines[i]);
        }

        if (end < lines.Length)
        {
            text.Append(' ').Append(marker).Append("   ... ").Append(lines.Length - end).AppendLine(" more lines");
        }
    }

    /// <summary>
    /// <c>Snapshots/</c> beside the test project in the source tree (found from the calling test's path, or by walking up from the test binary), so that
    /// received and accepted files land where they are checked in; the copy in the output directory otherwise.
    /// </summary>
    private static string SnapshotDirectory(string callerFile)
    {
        for (string? directory = Path.GetDirectoryName(callerFile); !string.IsNullOrEmpty(directory); directory = Path.GetDirectoryName(directory))
        {
            if (Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*.csproj").Any())
            {
                string snapshots = Path.Combine(directory, "Snapshots");
                Directory.CreateDirectory(snapshots);
                return snapshots;
            }
        }

        // CI builds map source paths to /_/ (ContinuousIntegrationBuild); find the source tree from the test binary.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string inTree = Path.Combine(dir.FullName, "tests", "Parallel.Gen.Generators.Tests", "Snapshots");
            if (File.Exists(Path.Combine(dir.FullName, "Parallel.Gen.sln")) && Directory.Exists(inTree))
            {
                return inTree;
            }
        }

        string copied = Path.Combine(AppContext.BaseDirectory, "Snapshots");
        Directory.CreateDirectory(copied);
        return copied;
    }

    private static string LineNumber(int index) => (index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(5);

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string StripSuffix(string text, string suffix) =>
        text.EndsWith(suffix, StringComparison.Ordinal) ? text[..^suffix.Length] : text;
}
