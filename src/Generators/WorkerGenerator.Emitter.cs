using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ParallelGen.Generators.Models;

namespace ParallelGen.Generators;

public sealed partial class WorkerGenerator
{
    /// <summary>Models in, C# text out.</summary>
    internal static class Emitter
    {
        private const string Hosting = "global::ParallelGen.Hosting.";

        public static void EmitTable(SourceProductionContext context, ImmutableArray<WorkerSpec> workers, AssemblySpec assembly, ImmutableArray<CodecUseSpec> codecUses)
        {
            // One registration per type, in a deterministic order.
            List<CodecUseSpec> registrations = codecUses.GroupBy(u => u.Type).Select(g => g.First()).OrderBy(u => u.Type, System.StringComparer.Ordinal).ToList();
            if (registrations.Count > 0)
            {
                context.AddSource("WireCodecRegistrations.g.cs", CodecRegistrations(registrations, assembly));
            }

            if (workers.IsEmpty && !assembly.IsExecutable)
            {
                return;
            }

            // Deterministic order whatever order the syntax trees come in; one entry per id.
            List<WorkerSpec> ordered = UniqueById(workers);
            context.AddSource(assembly.TableTypeName + ".g.cs", Table(ordered, assembly));
            if (assembly.IsExecutable)
            {
                context.AddSource("WorkerEntryPoint.g.cs", EntryPoint(assembly, registersCodecs: registrations.Count > 0));
            }
        }

        /// <summary>
        /// The codecs of queue, pipe and manager items. An executable registers them from its entry point, before a
        /// worker loop can start (a Native AOT worker runs its loop inside the module initializer, and the order of
        /// several module initializers is not defined); a library registers them from its own module initializer.
        /// </summary>
        internal static SourceText CodecRegistrations(IReadOnlyList<CodecUseSpec> registrations, AssemblySpec assembly)
        {
            var w = Header();
            w.Open("namespace ParallelGen.Generated");
            w.Line("/// <summary>Codecs of the values this assembly sends through queues, pipes and manager collections.</summary>");
            w.Line(GeneratedCodeInfo.Attribute);
            w.Open("internal static class WireCodecRegistrations");
            if (!assembly.IsExecutable)
            {
                w.Line("#pragma warning disable CA2255 // a library registers its item codecs when it is loaded");
                w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
                w.Line("#pragma warning restore CA2255");
            }

            w.Open("internal static void Register()");
            foreach (CodecUseSpec use in registrations)
            {
                w.Line("global::ParallelGen.Serialization.WireCodecs.Register<" + use.Type + ", " + use.Codec + ">();");
            }

            w.Close();
            w.Close();
            w.Close();
            return w.ToSourceText();
        }

        public static void EmitInterceptors(SourceProductionContext context, ImmutableArray<CallSiteSpec> sites, ImmutableArray<WorkerSpec> workers)
        {
            if (sites.IsEmpty)
            {
                return;
            }

            // A site whose worker the Workers step skipped (a type that can't cross the boundary) is left alone: the analyzers explain it.
            var byId = new Dictionary<ulong, WorkerSpec>();
            foreach (WorkerSpec worker in workers.Concat(sites.Select(s => s.ExternalWorker).OfType<WorkerSpec>()))
            {
                byId[worker.Id] = worker;
            }

            var resolved = new List<InterceptedSite>(sites.Length);
            foreach (CallSiteSpec site in sites)
            {
                if (byId.TryGetValue(site.WorkerId, out WorkerSpec? worker))
                {
                    resolved.Add(new InterceptedSite(site, worker, site.Location.Data));
                }
            }

            if (resolved.Count > 0)
            {
                context.AddSource("PoolInterceptors.g.cs", Interceptors(resolved));
            }
        }

        internal static SourceText Table(IReadOnlyList<WorkerSpec> workers, AssemblySpec assembly)
        {
            var w = Header();
            w.Line("[assembly: " + Hosting + "WorkerTableAttribute(typeof(global::ParallelGen.Generated." + assembly.TableTypeName + "))]");
            w.Line();
            w.Open("namespace ParallelGen.Generated");
            w.Line("/// <summary>Dispatch table of the [Worker] methods in " + assembly.AssemblyName + ".</summary>");
            w.Line(GeneratedCodeInfo.Attribute);
            w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
            w.Open("public sealed class " + assembly.TableTypeName + " : " + Hosting + "IWorkerTable");
            w.Line("/// <summary>The table.</summary>");
            w.Line("public static readonly " + assembly.TableTypeName + " Instance = new();");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("public string BuildId => \"" + BuildId(workers, assembly) + "\";");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Open("public bool TryRun(ulong workerId, global::System.ReadOnlyMemory<byte> arguments, int count, " + Hosting + "ChunkResultWriter results, global::System.Threading.CancellationToken cancellationToken, out global::System.Threading.Tasks.ValueTask completion)");
            w.Open("switch (workerId)");
            for (int i = 0; i < workers.Count; i++)
            {
                WorkerSpec worker = workers[i];
                w.Line("case " + worker.IdLiteral + ": // " + worker.DisplayName);
                string generic = "<" + worker.ArgsType + ", " + worker.ResultType + ", " + worker.ArgsCodec + ", " + worker.ResultCodec + ", Invoke" + i.ToString(CultureInfo.InvariantCulture) + ">";
                if (worker.IsAsync)
                {
                    w.Line("    completion = " + Hosting + "ChunkRunner.RunAsync" + generic + "(arguments, count, results, cancellationToken);");
                }
                else
                {
                    w.Line("    " + Hosting + "ChunkRunner.Run" + generic + "(arguments.Span, count, results, cancellationToken);");
                    w.Line("    completion = default;");
                }

                w.Line("    return true;");
            }

            w.Line("default:");
            if (assembly.IsExecutable)
            {
                // Worker tables of referenced libraries, composed at compile time: no assembly scanning at run time.
                foreach (string referenced in assembly.ReferencedTables)
                {
                    w.Line("    if (" + referenced + ".Instance.TryRun(workerId, arguments, count, results, cancellationToken, out completion)) return true;");
                }
            }

            w.Line("    completion = default;");
            w.Line("    return false;");
            w.Close();
            w.Close();
            for (int i = 0; i < workers.Count; i++)
            {
                w.Line();
                EmitInvoker(w, workers[i], i);
            }

            w.Close();
            w.Close();
            return w.ToSourceText();
        }

        private static void EmitInvoker(IndentedWriter w, WorkerSpec worker, int index)
        {
            string name = "Invoke" + index.ToString(CultureInfo.InvariantCulture);
            string call = worker.ContainingType + "." + worker.MethodName + "(" + Arguments(worker) + ")";
            const string Token = "global::System.Threading.CancellationToken cancellationToken";
            if (worker.IsAsync)
            {
                w.Open("private readonly struct " + name + " : " + Hosting + "IAsyncWorkerInvoker<" + worker.ArgsType + ", " + worker.ResultType + ">");
                string signature = "public static {0}global::System.Threading.Tasks.ValueTask<" + worker.ResultType + "> InvokeAsync(" + worker.ArgsType + " args, " + Token + ")";
                switch (worker.ResultKind)
                {
                    case ResultKind.Task:
                        w.Line(string.Format(CultureInfo.InvariantCulture, signature, "") + " => new(" + call + ");");
                        break;
                    case ResultKind.ValueTask:
                        w.Line(string.Format(CultureInfo.InvariantCulture, signature, "") + " => " + call + ";");
                        break;
                    default:
                        w.Open(string.Format(CultureInfo.InvariantCulture, signature, "async "));
                        w.Line("await " + call + ".ConfigureAwait(false);");
                        w.Line("return default;");
                        w.Close();
                        break;
                }
            }
            else
            {
                w.Open("private readonly struct " + name + " : " + Hosting + "IWorkerInvoker<" + worker.ArgsType + ", " + worker.ResultType + ">");
                string signature = "public static " + worker.ResultType + " Invoke(" + worker.ArgsType + " args, " + Token + ")";
                if (worker.ResultKind == ResultKind.Void)
                {
                    w.Open(signature);
                    w.Line(call + ";");
                    w.Line("return default;");
                    w.Close();
                }
                else
                {
                    w.Line(signature + " => " + call + ";");
                }
            }

            w.Close();
        }

        /// <summary>The worker's argument list built from the packed <c>args</c> (a value, a tuple, or nothing) and the token.</summary>
        private static string Arguments(WorkerSpec worker)
        {
            int valueCount = worker.Parameters.Count(p => !p.IsCancellationToken);
            var parts = new List<string>();
            int item = 0;
            foreach (ParameterSpec parameter in worker.Parameters)
            {
                if (parameter.IsCancellationToken)
                {
                    parts.Add("cancellationToken");
                }
                else
                {
                    item++;
                    parts.Add(valueCount == 1 ? "args" : "args.Item" + item.ToString(CultureInfo.InvariantCulture));
                }
            }

            return string.Join(", ", parts);
        }

        /// <summary>The type Parallel.Gen.Diagnostics registers; its presence among the references turns the registration on.</summary>
        internal const string StackCaptureType = "ParallelGen.Diagnostics.ClrMdStackCapture";

        public static void EmitStackCaptureRegistration(SourceProductionContext context) =>
            context.AddSource("StackCaptureRegistration.g.cs", StackCaptureRegistration());

        internal static SourceText StackCaptureRegistration()
        {
            var w = Header();
            w.Open("namespace ParallelGen.Generated");
            w.Line("/// <summary>Parallel.Gen.Diagnostics is referenced: pools of this program capture a stuck worker's stacks (CaptureStacksOnTimeout).</summary>");
            w.Line(GeneratedCodeInfo.Attribute);
            w.Open("internal static class StackCaptureRegistration");
            w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
            w.Line("internal static void Register() => global::" + StackCaptureType + ".Register();");
            w.Close();
            w.Close();
            return w.ToSourceText();
        }

        internal static SourceText EntryPoint(AssemblySpec assembly, bool registersCodecs = false)
        {
            var w = Header();
            w.Open("namespace ParallelGen.Generated");
            w.Line("/// <summary>Turns a copy of this program started by a pool into a worker, before Main runs.</summary>");
            w.Line(GeneratedCodeInfo.Attribute);
            w.Open("internal static class WorkerEntryPoint");
            w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
            if (registersCodecs)
            {
                w.Open("internal static void Initialize()");
                w.Line("WireCodecRegistrations.Register();");
                w.Line(Hosting + "WorkerHost.OnModuleInitialized(" + assembly.TableTypeName + ".Instance);");
                w.Close();
            }
            else
            {
                w.Line("internal static void Initialize() => " + Hosting + "WorkerHost.OnModuleInitialized(" + assembly.TableTypeName + ".Instance);");
            }

            w.Close();
            w.Close();
            return w.ToSourceText();
        }

        /// <summary>
        /// A call site with its worker, and the location's data (the sort key; the property encodes it on every read).
        /// A class, not a tuple: sorting and projecting tuples of the generator's types makes the JIT compile a set of
        /// LINQ and sorting code for them in every build, where a class shares the runtime's precompiled code.
        /// </summary>
        internal sealed class InterceptedSite(CallSiteSpec site, WorkerSpec worker, string data)
        {
            public CallSiteSpec Site { get; } = site;

            public WorkerSpec Worker { get; } = worker;

            public string Data { get; } = data;
        }

        /// <summary>One worker per id, in id order (the order of the table's cases and the interceptors' fields).</summary>
        internal static List<WorkerSpec> UniqueById(IEnumerable<WorkerSpec> workers)
        {
            var ordered = new List<WorkerSpec>(workers);
            ordered.Sort(static (a, b) => a.Id.CompareTo(b.Id));
            int kept = 0;
            for (int i = 0; i < ordered.Count; i++)
            {
                if (kept == 0 || ordered[kept - 1].Id != ordered[i].Id)
                {
                    ordered[kept++] = ordered[i];
                }
            }

            ordered.RemoveRange(kept, ordered.Count - kept);
            return ordered;
        }

        internal static SourceText Interceptors(List<InterceptedSite> sites)
        {
            var w = Header();
            w.Open("namespace System.Runtime.CompilerServices");
            w.Line(GeneratedCodeInfo.Attribute);
            w.Line("[global::System.AttributeUsage(global::System.AttributeTargets.Method, AllowMultiple = true)]");
            w.Open("file sealed class InterceptsLocationAttribute : global::System.Attribute");
            w.Open("public InterceptsLocationAttribute(int version, string data)");
            w.Line("_ = version;");
            w.Line("_ = data;");
            w.Close();
            w.Close();
            w.Close();
            w.Line();
            w.Open("namespace ParallelGen.Generated");
            w.Line("/// <summary>Routes each ProcessPool call that names a [Worker] to typed code carrying its id and codecs.</summary>");
            w.Line(GeneratedCodeInfo.Attribute);
            w.Open("file static class PoolInterceptors");
            var siteWorkers = new List<WorkerSpec>(sites.Count);
            foreach (InterceptedSite site in sites)
            {
                siteWorkers.Add(site.Worker);
            }

            List<WorkerSpec> workers = UniqueById(siteWorkers);
            var fields = new Dictionary<ulong, string>();
            foreach (WorkerSpec worker in workers)
            {
                string field = "Worker_" + worker.Id.ToString("x16", CultureInfo.InvariantCulture);
                fields[worker.Id] = field;
                w.Line("private static readonly global::ParallelGen.Execution.WorkerMethod " + field + " = new(" + worker.IdLiteral + ", \"" + worker.DisplayName.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\");");
            }

            int index = 0;
            sites.Sort(static (a, b) => string.CompareOrdinal(a.Data, b.Data));
            foreach (InterceptedSite intercepted in sites)
            {
                CallSiteSpec site = intercepted.Site;
                WorkerSpec worker = intercepted.Worker;
                w.Line();
                w.Line("// " + site.Location.GetDisplayLocation());
                w.Line("[global::System.Runtime.CompilerServices.InterceptsLocation(" + site.Location.Version.ToString(CultureInfo.InvariantCulture) + ", \"" + intercepted.Data + "\")]");
                // WorkerProcess.Start is static: its interceptor has no receiver and calls the static core.
                string receiver = site.IsProcessStart ? "global::ParallelGen.WorkerProcess" : site.IsInitializer ? "options" : "pool";
                var signature = new StringBuilder("public static ").Append(site.ReturnType).Append(' ').Append(site.PoolMethod).Append(index.ToString(CultureInfo.InvariantCulture)).Append('(');
                if (!site.IsProcessStart)
                {
                    signature.Append("this ").Append(site.ReceiverType).Append(' ').Append(receiver).Append(", ");
                }

                signature.Append(site.WorkerParameterType).Append(site.IsInitializer ? " initializer" : " worker");
                var packed = new List<string>();
                var rest = new List<string>();
                foreach (ForwardedParameterSpec parameter in site.Parameters)
                {
                    signature.Append(", ").Append(parameter.Type).Append(' ').Append(parameter.Name);
                    (parameter.IsWorkerArgument ? packed : rest).Add(parameter.Name);
                }

                w.Line(signature.Append(')').ToString());
                var forwarded = new List<string>(rest.Count + 2) { fields[worker.Id] };
                if (site.PacksArguments)
                {
                    forwarded.Add(packed.Count switch
                    {
                        0 => "default(global::ParallelGen.Serialization.Unit)",
                        1 => packed[0],
                        _ => "(" + string.Join(", ", packed) + ")",
                    });
                }

                forwarded.AddRange(rest);
                string generic = site.IsInitializer
                    ? "<" + worker.ArgsType + ", " + worker.ArgsCodec + ">"
                    : "<" + worker.ArgsType + ", " + worker.ResultType + ", " + worker.ArgsCodec + ", " + worker.ResultCodec + ">";
                w.Line("    => " + receiver + "." + site.CoreMethod + generic + "(" + string.Join(", ", forwarded) + ");");
                index++;
            }

            w.Close();
            w.Close();
            return w.ToSourceText();
        }

        /// <summary>The hint name of the one file that holds every codec struct of the assembly.</summary>
        internal const string CodecsHintName = "WireCodecs.g.cs";

        public static void EmitCodecs(SourceProductionContext context, EquatableArray<CodecSpec> codecs)
        {
            if (codecs.Count > 0)
            {
                context.AddSource(CodecsHintName, Codecs(codecs.AsImmutableArray()));
            }
        }

        /// <summary>
        /// Every codec struct the assembly's generated code names (its workers', the referenced workers' it calls, its queue,
        /// pipe and manager items', its <c>[GenerateWireCodec]</c> structs'), each once.
        /// </summary>
        internal static SourceText Codecs(IReadOnlyList<CodecSpec> codecs)
        {
            var w = Header();
            w.Open("namespace ParallelGen.Generated");
            CodecEmitter.Write(w, codecs);
            w.Close();
            return w.ToSourceText();
        }

        public static void EmitNamedCodec(SourceProductionContext context, NamedCodecSpec codec) =>
            context.AddSource(codec.HintName + ".g.cs", NamedCodec(codec));

        /// <summary>The user's <c>[GenerateWireCodec]</c> partial struct, delegating to the generated codec of its type.</summary>
        internal static SourceText NamedCodec(NamedCodecSpec codec)
        {
            var w = Header();
            if (codec.Namespace is not null)
            {
                w.Open("namespace " + codec.Namespace);
            }

            const string Serialization = "global::ParallelGen.Serialization.";
            w.Line(GeneratedCodeInfo.Attribute);
            w.Open("partial struct " + codec.StructName + " : " + Serialization + "IWireCodec<" + codec.TargetType + ">");
            w.Line("/// <inheritdoc/>");
            w.Line("public static void Write(" + Serialization + "WireWriter writer, " + codec.TargetType + " value) => " + codec.Codec + ".Write(writer, value);");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("public static " + codec.TargetType + " Read(ref " + Serialization + "WireReader reader) => " + codec.Codec + ".Read(ref reader);");
            w.Close();
            if (codec.Namespace is not null)
            {
                w.Close();
            }

            return w.ToSourceText();
        }

        private static string BuildId(IReadOnlyList<WorkerSpec> workers, AssemblySpec assembly)
        {
            var text = new StringBuilder(assembly.AssemblyName);
            foreach (WorkerSpec worker in workers)
            {
                text.Append(';').Append(worker.Id.ToString("x16", CultureInfo.InvariantCulture));
            }

            return assembly.AssemblyName + "/" + WorkerIds.Fnv1a64(text.ToString()).ToString("x16", CultureInfo.InvariantCulture).Substring(0, 12);
        }

        private static IndentedWriter Header()
        {
            var w = new IndentedWriter();
            w.Line("// <auto-generated/>");
            w.Line("#nullable enable");
            w.Line("// Generated code names types without nullable annotations, so it switches to the oblivious context:");
            w.Line("// oblivious signatures match the intercepted methods whatever their annotations.");
            w.Line("#nullable disable");
            w.Line("// Codec structs are internal to each assembly: where a referenced assembly's internals are visible, the compiler");
            w.Line("// picks this assembly's identical copy and would warn that it hides the imported one.");
            w.Line("#pragma warning disable CS0436");
            w.Line();
            return w;
        }
    }
}
