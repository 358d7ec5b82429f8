using System.Collections.Generic;
using System.Collections.Immutable;

namespace ParallelGen.Generators.Models;

/// <summary>
/// Where an assembly's codec structs come from: its workers, its queue, pipe and manager item types, the referenced
/// workers it calls and its <c>[GenerateWireCodec]</c> structs. <see cref="All"/> is what <c>WireCodecs.g.cs</c> holds.
/// </summary>
internal sealed record CodecSources(EquatableArray<WorkerSpec> Workers, EquatableArray<CodecUseSpec> Uses)
{
    public EquatableArray<CallSiteSpec> Sites { get; init; } = EquatableArray<CallSiteSpec>.Empty;

    public EquatableArray<NamedCodecSpec> Named { get; init; } = EquatableArray<NamedCodecSpec>.Empty;

    /// <summary>Each codec once (equal types give equal specs wherever they come from), in name order.</summary>
    public EquatableArray<CodecSpec> All()
    {
        var byName = new Dictionary<string, CodecSpec>(System.StringComparer.Ordinal);
        foreach (WorkerSpec worker in Workers)
        {
            Add(byName, worker.Codecs);
        }

        foreach (CodecUseSpec use in Uses)
        {
            Add(byName, use.Codecs);
        }

        foreach (CallSiteSpec site in Sites)
        {
            if (site.ExternalWorker is { } external)
            {
                Add(byName, external.Codecs);
            }
        }

        foreach (NamedCodecSpec named in Named)
        {
            Add(byName, named.Codecs);
        }

        var names = new List<string>(byName.Keys);
        names.Sort(System.StringComparer.Ordinal);
        ImmutableArray<CodecSpec>.Builder ordered = ImmutableArray.CreateBuilder<CodecSpec>(names.Count);
        foreach (string name in names)
        {
            ordered.Add(byName[name]);
        }

        return ordered.MoveToImmutable().ToEquatableArray();
    }

    private static void Add(Dictionary<string, CodecSpec> byName, EquatableArray<CodecSpec> codecs)
    {
        foreach (CodecSpec codec in codecs)
        {
            if (!byName.ContainsKey(codec.Name))
            {
                byName[codec.Name] = codec;
            }
        }
    }
}
