// Parallel.Gen's own hot paths, one BenchmarkDotNet run (see docs/performance.md, "BenchmarkDotNet suite"):
//   dotnet run -c Release --project benchmarks/Parallel.Gen.Benchmarks -- --filter '*'
//   ... -- --filter '*' --quick      (Job.Dry: each benchmark once, a smoke test that they all work; measures nothing)
//   ... -- --filter '*Frame*'        (one class)
//   ... -- --filter '*Transport*' '*MachineLimit*' '*Memcpy*'   (the transport beside the machine's limits)
//   ... -- --profile queue 50        (one workload in a loop, no BenchmarkDotNet: for perf/strace, see ProfileLoop.cs)
//   ... -- --stream pipe 1000000     (Compare's queue_throughput as one long stream, with CPU and sleeps per message per thread)

using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ParallelGen.Benchmarks;

if (args is [TransportPeer.Argument, string mode, string where])
{
    return TransportPeer.Run(mode, where);
}

if (args is ["--stream", string kind, string messages])
{
    return StreamProfile.Run(kind, int.Parse(messages, System.Globalization.CultureInfo.InvariantCulture));
}

if (args is ["--profile", string workload, string times])
{
    return ProfileLoop.Run(workload, int.Parse(times, System.Globalization.CultureInfo.InvariantCulture));
}

// In process, on purpose: BenchmarkDotNet's default toolchain generates, builds and runs a separate
// executable per benchmark. Its entry assembly is BenchmarkDotNet's generated program, not this one, so
// the pool starts *that* program as its workers, and every worker exits at once: "the program has no
// generated worker table" (checked with Job.Dry on the default toolchain). In process, this exe runs the
// benchmarks and is also the worker program (its generated [ModuleInitializer] turns a started copy into
// a worker before Main), and nothing else is built on a busy 2-core machine. ShortRun (1 launch,
// 3 warm-up, 3 measured iterations) keeps the suite to minutes; read ratios within one run, since
// absolute times move with the machine's load.
bool quick = args.Contains("--quick");
Job job = (quick ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
IConfig config = DefaultConfig.Instance
    .AddJob(job)
    .AddColumn(StatisticColumn.Median)
    .WithOptions(ConfigOptions.JoinSummary);

BenchmarkSwitcher.FromAssembly(typeof(Workers).Assembly).Run([.. args.Where(a => a != "--quick")], config);
return 0;
