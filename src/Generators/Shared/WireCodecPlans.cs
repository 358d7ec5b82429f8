using System.Collections.Generic;
using System.Linq;

namespace ParallelGen.Generators;
/// <summary>
/// The codec structs one use of <see cref="WireTypeRules"/> needs the generator to emit, in the order they were
/// planned, and the bookkeeping for recursive types (a type in progress is assumed to work; if it fails, what was
/// planned since it started is dropped).
/// </summary>
internal sealed class WireCodecPlans
{
    private readonly List<WireCodecPlan> _plans = [];
    private readonly HashSet<string> _known = new(System.StringComparer.Ordinal);
    private readonly Stack<HashSet<string>> _references = new();

    /// <summary>Every plan, each once.</summary>
    public IReadOnlyList<WireCodecPlan> All => _plans;

    internal WireCodecPlan? Find(string codecName) => _plans.FirstOrDefault(p => p.CodecName == codecName);

    /// <summary>Planned, or being planned (a recursive reference).</summary>
    internal bool IsKnown(string codecName) => _known.Contains(codecName);

    internal void Add(WireCodecPlan plan)
    {
        _known.Add(plan.CodecName);
        _plans.Add(plan);
    }

    internal int Begin(string codecName)
    {
        _known.Add(codecName);
        _references.Push(new HashSet<string>(System.StringComparer.Ordinal));
        return _plans.Count;
    }

    internal void Complete(WireCodecPlan plan)
    {
        plan.References.UnionWith(_references.Pop());
        _plans.Add(plan);
    }

    internal void Abandon(int mark, string codecName)
    {
        _references.Pop();
        for (int i = _plans.Count - 1; i >= mark; i--)
        {
            _known.Remove(_plans[i].CodecName);
            _plans.RemoveAt(i);
        }

        _known.Remove(codecName);
    }

    /// <summary>The plan being built uses <paramref name="codecName"/> (directly, or inside a collection).</summary>
    internal void NoteReference(string codecName)
    {
        if (_references.Count > 0)
        {
            _references.Peek().Add(codecName);
        }
    }

    /// <summary>
    /// Whether values of <paramref name="plan"/> can contain values of the same plan: such codecs count nesting
    /// levels, so a cycle fails when sent and a hostile payload can't nest deeper than the limit.
    /// </summary>
    public bool IsRecursive(WireCodecPlan plan)
    {
        if (plan.References.Count == 0)
        {
            return false;
        }

        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        var pending = new Stack<string>(plan.References);
        while (pending.Count > 0)
        {
            string next = pending.Pop();
            if (next == plan.CodecName)
            {
                return true;
            }

            if (seen.Add(next) && Find(next) is { } found)
            {
                foreach (string reference in found.References)
                {
                    pending.Push(reference);
                }
            }
        }

        return false;
    }
}
