using System.Collections.Immutable;
using System.Linq;
using ParallelGen.Generators.Models;

namespace ParallelGen.Generators;

/// <summary>
/// Turns the codec plans of <see cref="WireTypeRules"/> (shared with the analyzers, built while walking symbols)
/// into equatable <see cref="CodecSpec"/> models: data the incremental pipeline can compare and cache, and the
/// emitter renders.
/// </summary>
internal static class CodecSpecs
{
    /// <summary>Every plan as a model, sorted by name.</summary>
    public static EquatableArray<CodecSpec> From(WireCodecPlans plans)
    {
        if (plans.All.Count == 0)
        {
            return EquatableArray<CodecSpec>.Empty;
        }

        var specs = new CodecSpec[plans.All.Count];
        for (int i = 0; i < specs.Length; i++)
        {
            specs[i] = From(plans.All[i], plans);
        }

        System.Array.Sort(specs, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return ImmutableArray.Create(specs).ToEquatableArray();
    }

    private static CodecSpec From(WireCodecPlan plan, WireCodecPlans plans) => plan switch
    {
        ObjectCodecPlan o => new ObjectCodecSpec(
            o.CodecName,
            o.TypeName,
            o.DisplayName,
            o.IsValueType,
            o.ChecksExactType,
            o.ConstructorArity,
            plans.IsRecursive(o),
            o.Members.Select(m => new CodecMemberSpec(m.Name, m.TypeName, m.Codec, m.ConstructorIndex, m.ViaInitializer, m.FixedSize)).ToEquatableArray()),
        UnionCodecPlan u => new UnionCodecSpec(
            u.CodecName,
            u.TypeName,
            u.DisplayName,
            u.Cases.Select(c => new UnionCaseSpec(c.Tag, c.TypeName, c.DisplayName, c.Codec, c.Depth)).ToEquatableArray()),
        EnumCodecPlan e => new EnumCodecSpec(e.CodecName, e.TypeName, e.DisplayName, e.UnderlyingType, e.Values.ToEquatableArray(), e.IsFlags, e.Mask),
        _ => throw new System.InvalidOperationException("Unknown codec plan " + plan.GetType().Name + " for " + plan.TypeName + "."),
    };
}
