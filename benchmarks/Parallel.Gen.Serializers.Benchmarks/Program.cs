// Parallel.Gen's generated codecs next to MemoryPack and MessagePack-CSharp, on the same values, in one run:
//   dotnet run -c Release --project benchmarks/Parallel.Gen.Serializers.Benchmarks -- --filter '*'

using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ParallelGen.Benchmarks;

// ShortRun (1 launch, 3 warm-up and 3 measured iterations), in process: this runs on a shared 2-core
// machine, so the suite must finish in minutes and not build a second copy of itself. Ratios against
// MemoryPack in the same run are what we report; absolute times move with the machine's load.
// --smoke runs every benchmark once (Job.Dry) to check that they work, measuring nothing.
bool smoke = args.Contains("--smoke");
Job job = (smoke ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
IConfig config = DefaultConfig.Instance
    .AddJob(job)
    .AddColumn(StatisticColumn.Median)
    .WithOptions(ConfigOptions.JoinSummary);

BenchmarkSwitcher.FromAssembly(typeof(SerializerBenchmarks).Assembly).Run([.. args.Where(a => a != "--smoke")], config);
