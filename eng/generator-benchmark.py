#!/usr/bin/env python3
"""Measures the worker generator against System.Text.Json's generator in one compilation.

Writes artifacts/generator-benchmark/: a console app with 500 [Worker] methods (each taking its own
record type), 500 call sites (pool.Map(Jobs.W_i, items)) and a JsonSerializerContext naming the same
500 record types. Builds it once, then recompiles it --runs times (a touched source file, project
references not rebuilt) with -p:ReportAnalyzer=true and reads both generators' times from the
compiler's report. Prints each run and the range; exits 1 when ours is slower than STJ's on the median.

Fairness: the compiler runs generators in the order of its /analyzer list, and the first generator that reads the
500 records pays for binding them (their members, property types, interfaces: 0.3-0.8 s on a loaded machine), which
the second then finds bound. Our generator comes first in the list (a project reference, before the SDK's), so a
benchmark with one order charges that shared cost to ours alone. Each run therefore compiles twice, once with ours
first and once with System.Text.Json's first (--order both, the default); the medians over all compiles give each
generator the first place half the time. The verdict averages the two orders' medians (the pooled median falls between
the two modes and swings with a single run). --order ours-first or stj-first keeps one order.

--direct runs the compiler itself on the command line MSBuild gave it (captured once per order, outputs redirected under
obj/direct/), instead of a `dotnet build` per compile. On this 2-core machine MSBuild's own process keeps a core busy for
the first ~2 s of each compile, which is when the generators run, so the build-driven times swing by 0.1-0.4 s with
where that work lands; the direct times repeat within ~10 ms. Same compiles, same verdict rule.

--gc (with --direct) builds eng/GeneratorProbe four times and runs a probe generator before and after each of the two in
every compile: it prints the runtime's counters (collections, their total pause, the JIT's time), so each generator's
window shows the collections and JIT work that fell inside it. A collection falls in whichever generator's window
allocates past the collector's budget, a full one costing 30-60 ms; the times without those pauses show what is left.

Run: python3 eng/generator-benchmark.py [--runs 3] [--workers 500] [--order both|ours-first|stj-first] [--alone] [--direct [--gc]] [--rsp FILE]
  --rsp FILE writes the compiler's command line (its response file) to FILE, for
  dotnet run -c Release --project eng/GeneratorProfile -- artifacts/generator-benchmark 5 --rsp FILE
  which replays that exact compile (sources, options, reference assemblies, every generator, in order).

Where the time goes, step by step: after a run (the sources stay in artifacts/generator-benchmark/),
  dotnet run -c Release --project eng/GeneratorProfile -- artifacts/generator-benchmark 5 [--stj-first]
runs both generators over the same sources in one GeneratorDriver and prints each pipeline step's time.
The compiler runs the generators one after another; the first to ask for symbols pays for binding the
declarations both use (the record types), so compare the --alone times too.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "artifacts", "generator-benchmark")
OURS = "ParallelGen.Generators.WorkerGenerator"
STJ = "System.Text.Json.SourceGeneration.JsonSourceGenerator"


def write(name, text):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(workers):
    os.makedirs(OUT, exist_ok=True)
    write("GeneratorBenchmark.csproj", """<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="..\\..\\eng\\UseParallelGen.props" />
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <AnalysisLevel>none</AnalysisLevel>
    <NoWarn>$(NoWarn);CS1591</NoWarn>
  </PropertyGroup>
  <!-- -p:BenchOnly=ours|stj runs one generator alone: the first generator to ask for symbols pays for binding
       the declarations both use, so the alone times show how the shared cost splits. -->
  <!-- -p:BenchOrder=stj-first moves ours to the end of the analyzer list, after System.Text.Json's: the compiler runs
       generators in that order, and the first to read the records pays for binding them. -->
  <Target Name="RunOursLast" BeforeTargets="CoreCompile" Condition="'$(BenchOrder)' == 'stj-first'">
    <ItemGroup>
      <_BenchOurGenerator Include="@(Analyzer)" Condition="'%(Filename)' == 'Parallel.Gen.Generators'" />
      <Analyzer Remove="@(_BenchOurGenerator)" />
      <Analyzer Include="@(_BenchOurGenerator)" />
    </ItemGroup>
  </Target>
  <Target Name="KeepOneGenerator" BeforeTargets="CoreCompile" Condition="'$(BenchOnly)' != ''">
    <ItemGroup>
      <Analyzer Remove="@(Analyzer)" Condition="'$(BenchOnly)' == 'ours' and '%(Filename)' == 'System.Text.Json.SourceGeneration'" />
      <Analyzer Remove="@(Analyzer)" Condition="'$(BenchOnly)' == 'stj' and '%(Filename)' == 'Parallel.Gen.Generators'" />
    </ItemGroup>
  </Target>
</Project>
""")
    # Ten files of records and workers, as a project would spread them.
    per_file = (workers + 9) // 10
    for f in range(10):
        lines = ["namespace Bench;", ""]
        for i in range(f * per_file, min(workers, (f + 1) * per_file)):
            lines.append(f"public sealed record Item{i}(int Id, string Name, double Score, long[] Values);")
        lines.append("")
        lines.append(f"public static class Jobs{f}")
        lines.append("{")
        for i in range(f * per_file, min(workers, (f + 1) * per_file)):
            lines.append(f"    [ParallelGen.Worker] public static int W{i}(Item{i} item) => item.Id + {i};")
        lines.append("}")
        write(f"Jobs{f}.cs", "\n".join(lines) + "\n")
    # One call site a method, each passing a collection the caller already has (the common shape of a Map call).
    calls = ["namespace Bench;", "", "public static class Calls", "{"]
    for i in range(workers):
        calls.append(f"    public static int Run{i}(ParallelGen.WorkerPool pool, Item{i}[] items) => pool.Map(Jobs{i // per_file}.W{i}, items).Length;")
    calls.append("}")
    write("Calls.cs", "\n".join(calls) + "\n")
    json = ["using System.Text.Json.Serialization;", "", "namespace Bench;", ""]
    json += [f"[JsonSerializable(typeof(Item{i}))]" for i in range(workers)]
    json += ["internal sealed partial class BenchJsonContext : JsonSerializerContext;", ""]
    write("BenchJsonContext.cs", "\n".join(json))
    write("Program.cs", "System.Console.WriteLine(Bench.BenchJsonContext.Default.GetType().Name);\n")


def build(extra, must_succeed=True):
    cmd = ["dotnet", "build", os.path.join(OUT, "GeneratorBenchmark.csproj"), "-c", "Release", "-nologo"] + extra
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 and must_succeed:
        sys.stdout.write(proc.stdout[-6000:])
        sys.exit("the benchmark project did not build (output above)")
    return proc.stdout


def generator_seconds(log, name):
    # (Without STJ's generator the JSON context doesn't compile; the generators have run by then, so their times are there.)
    # ReportAnalyzer prints "<seconds>  <percent>  <generator type> (<assembly>)" under "Generator execution time".
    match = re.search(r"^\s*([0-9.]+|<0\.001)\s+\S+\s+" + re.escape(name) + r"\b", log, re.MULTILINE)
    if not match:
        sys.exit(f"no time for {name} in the compiler's report: is -p:ReportAnalyzer=true honoured?")
    return 0.0 if match.group(1).startswith("<") else float(match.group(1))


def compiler_command(log):
    """The compiler and its arguments as the Csc task logged them: \"<csc path> /noconfig ... sources\"."""
    match = re.search(r"^\s*(\S*csc(?:\.dll|\.exe)?) (/noconfig .*)$", log, re.MULTILINE)
    if not match:
        sys.exit("no csc command line in the build log (-v:d prints it)")
    return match.group(1), match.group(2)


def direct_rsp(order):
    """A response file with the compile MSBuild runs for this order, writing its assemblies under obj/direct/."""
    os.utime(os.path.join(OUT, "Program.cs"))
    _, arguments = compiler_command(build(["--no-dependencies", "-v:d", "-p:ReportAnalyzer=true", "-p:BenchOrder=" + order]))
    target = os.path.join("obj", "direct", order)
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    arguments = re.sub(r"/out:\S+", "/out:" + os.path.join(target, "GeneratorBenchmark.dll"), arguments)
    arguments = re.sub(r"/refout:\S+", "/refout:" + os.path.join(target, "ref.dll"), arguments)
    path = os.path.join(OUT, "obj", f"direct-{order}.rsp")
    with open(path, "w", encoding="utf-8") as f:
        f.write(arguments + "\n")
    return path


def compile_direct(compiler, rsp):
    proc = subprocess.run([compiler, "/noconfig", "@" + rsp], cwd=OUT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.stdout


PROBES = "ABCD"


def build_probes():
    """eng/GeneratorProbe as four assemblies (ProbeA-D): the compiler loads each once, so each needs its own name."""
    paths = {}
    for probe in PROBES:
        target = os.path.join(OUT, "probes", "Probe" + probe)
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "eng", "GeneratorProbe", "GeneratorProbe.csproj"), "-c", "Release", "-nologo",
                        "-v:q", "-p:AssemblyName=Probe" + probe, "-o", target], check=True, capture_output=True)
        paths[probe] = os.path.join(target, "Probe" + probe + ".dll")
    return paths


def probed_rsp(rsp, probes):
    """The same compile with ProbeA/ProbeB around the worker generator and ProbeC/ProbeD around System.Text.Json's."""
    with open(rsp, encoding="utf-8") as f:
        arguments = f.read().strip()
    for generator, (before, after) in (("Parallel.Gen.Generators.dll", "AB"), ("System.Text.Json.SourceGeneration.dll", "CD")):
        arguments, found = re.subn(r"(/analyzer:\S*" + re.escape(generator) + r")",
                                   lambda m: f"/analyzer:{probes[before]} {m.group(1)} /analyzer:{probes[after]}", arguments)
        if found != 1:
            sys.exit(f"{generator} is not in the compiler's /analyzer list once")
    path = rsp.replace(".rsp", "-probed.rsp")
    with open(path, "w", encoding="utf-8") as f:
        f.write(arguments + "\n")
    return path


def probe_windows(log):
    """Per generator (ours, stj): collections, GC pause and JIT seconds between the probes on either side of it."""
    counters = {}
    for match in re.finditer(r"^GPROBE Probe(\w) gc (\d+)/(\d+)/(\d+) pause ([0-9.]+) jit ([0-9.]+) (\d+)", log, re.MULTILINE):
        counters[match.group(1)] = [int(match.group(i)) for i in (2, 3, 4)] + [float(match.group(5)) / 1000, float(match.group(6)) / 1000]
    if set(counters) != set(PROBES):
        sys.exit("the probe generators did not all report: " + ", ".join(sorted(counters)))
    window = {}
    for name, (before, after) in (("ours", "AB"), ("stj", "CD")):
        b, a = counters[before], counters[after]
        window[name] = {"gen0": a[0] - b[0], "gen1": a[1] - b[1], "gen2": a[2] - b[2], "pause": a[3] - b[3], "jit": a[4] - b[4]}
    return window


def write_rsp(log, path):
    # The Csc task logs its command line as "<csc path> /noconfig ... sources"; the arguments are csc's response file.
    match = re.search(r"^\s*\S*csc(?:\.dll|\.exe)? (/noconfig .*)$", log, re.MULTILINE)
    if not match:
        sys.exit("no csc command line in the build log (-v:d prints it)")
    with open(path, "w", encoding="utf-8") as f:
        f.write(match.group(1) + "\n")
    print(f"wrote the compiler's command line to {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=500)
    parser.add_argument("--alone", action="store_true", help="also time each generator alone in the compile")
    parser.add_argument("--order", choices=["both", "ours-first", "stj-first"], default="both")
    parser.add_argument("--rsp", help="write the compiler's command line to this file")
    parser.add_argument("--direct", action="store_true", help="run the compiler on MSBuild's command line, without MSBuild around it")
    parser.add_argument("--gc", action="store_true", help="with --direct: report the collections and JIT time inside each generator's run")
    args = parser.parse_args()
    if args.gc and not args.direct:
        parser.error("--gc reads probes in the compiler's own output: use it with --direct")
    generate(args.workers)
    log = build(["-v:d"])  # restore, project references and a first compile, untimed
    orders = ["ours-first", "stj-first"] if args.order == "both" else [args.order]
    if args.direct:
        compiler = compiler_command(log)[0]
        direct = {order: direct_rsp(order) for order in orders}
        if args.gc:
            probes = build_probes()
            direct = {order: probed_rsp(rsp, probes) for order, rsp in direct.items()}
        for order in orders:
            compile_direct(compiler, direct[order])  # a first run of each, untimed
    ours, stj = [], []
    by_order = {o: ([], []) for o in orders}
    windows = {o: [] for o in orders}
    for run in range(args.runs):
        parts = []
        for order in orders:
            if args.direct:
                log = compile_direct(compiler, direct[order])
            else:
                os.utime(os.path.join(OUT, "Program.cs"))
                log = build(["--no-dependencies", "-p:ReportAnalyzer=true", "-v:d", "-p:BenchOrder=" + order])
            if args.rsp and run == 0 and order == orders[0] and not args.direct:
                write_rsp(log, args.rsp)
            ours.append(generator_seconds(log, OURS))
            stj.append(generator_seconds(log, STJ))
            by_order[order][0].append(ours[-1])
            by_order[order][1].append(stj[-1])
            parts.append(f"{order}: WorkerGenerator {ours[-1]:.3f} s, JsonSourceGenerator {stj[-1]:.3f} s")
            if args.gc:
                window = probe_windows(log)
                windows[order].append(window)
                parts[-1] += " (" + ", ".join(f"{name} gc {w['gen0']}/{w['gen1']}/{w['gen2']} {w['pause']:.3f} s" for name, w in window.items()) + ")"
        line = f"run {run + 1}: " + "; ".join(parts)
        if args.alone:
            os.utime(os.path.join(OUT, "Program.cs"))
            alone_ours = generator_seconds(build(["--no-dependencies", "-p:ReportAnalyzer=true", "-p:BenchOnly=ours", "-v:d"], must_succeed=False), OURS)
            os.utime(os.path.join(OUT, "Program.cs"))
            alone_stj = generator_seconds(build(["--no-dependencies", "-p:ReportAnalyzer=true", "-p:BenchOnly=stj", "-v:d"]), STJ)
            line += f"; alone: WorkerGenerator {alone_ours:.3f} s, JsonSourceGenerator {alone_stj:.3f} s"
        print(line, flush=True)
    if len(orders) > 1:
        for order, (o, j) in by_order.items():
            print(f"{order + ':':12} WorkerGenerator {min(o):.3f}-{max(o):.3f} s (median {statistics.median(o):.3f}), "
                  f"JsonSourceGenerator {min(j):.3f}-{max(j):.3f} s (median {statistics.median(j):.3f})")
    print(f"WorkerGenerator     {min(ours):.3f}-{max(ours):.3f} s (median {statistics.median(ours):.3f})")
    print(f"JsonSourceGenerator {min(stj):.3f}-{max(stj):.3f} s (median {statistics.median(stj):.3f})")
    # The times are bimodal (first place pays for binding the records, second finds them bound), so the median of all
    # compiles falls in the gap between the modes and swings with one run. The verdict takes each order's median and
    # averages the orders: each generator first half the time, as the compiles are.
    ours_score = statistics.mean(statistics.median(o) for o, _ in by_order.values())
    stj_score = statistics.mean(statistics.median(j) for _, j in by_order.values())
    print(f"mean of the orders' medians: WorkerGenerator {ours_score:.3f} s, JsonSourceGenerator {stj_score:.3f} s ({ours_score / stj_score:.2f}x)")
    if args.gc:
        report_windows(by_order, windows)
    if ours_score > stj_score:
        print("goal missed: the worker generator is slower than System.Text.Json's (mean of the orders' medians)")
        return 1
    print("goal met: the worker generator is at most System.Text.Json's (mean of the orders' medians)")
    return 0


def report_windows(by_order, windows):
    """Each order's medians of GC pauses and JIT time inside each generator's run, and the verdict without the pauses."""
    scores = {"ours": [], "stj": []}
    for order, (o, j) in by_order.items():
        for name, times in (("ours", o), ("stj", j)):
            runs = [w[name] for w in windows[order]]
            collections = "; ".join(sorted({f"{w['gen0']}/{w['gen1']}/{w['gen2']}" for w in runs}))
            without = statistics.median(t - w["pause"] for t, w in zip(times, runs))
            scores[name].append(without)
            label = "WorkerGenerator" if name == "ours" else "JsonSourceGenerator"
            print(f"{order + ':':12} {label:19} collections (gen0/1/2 counts) {collections}, paused {statistics.median(w['pause'] for w in runs):.3f} s, "
                  f"JIT {statistics.median(w['jit'] for w in runs):.3f} s, without the pauses {without:.3f} s (medians)")
    ours_score, stj_score = statistics.mean(scores["ours"]), statistics.mean(scores["stj"])
    print(f"without GC pauses, mean of the orders' medians: WorkerGenerator {ours_score:.3f} s, JsonSourceGenerator {stj_score:.3f} s "
          f"({ours_score / stj_score:.2f}x)")


if __name__ == "__main__":
    sys.exit(main())
