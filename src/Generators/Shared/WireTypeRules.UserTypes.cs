using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generators;

/// <summary>The user's records, classes and structs (object codecs) and polymorphic bases (union codecs).</summary>
internal static partial class WireTypeRules
{
    /// <summary>A record, class or struct of the user's (an object codec), or a polymorphic base (a union codec).</summary>
    private static string? ResolveUserType(INamedTypeSymbol type, string path, WireCodecPlans plans, out string? problem)
    {
        problem = null;
        if (type.IsRefLikeType)
        {
            problem = $"{path}: {Display(type)} (a ref struct lives on this thread's stack; use an array or Memory<T>)";
            return null;
        }

        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Interface))
        {
            problem = Problem(path, type);
            return null;
        }

        if (Inaccessible(type, path, out problem))
        {
            return null;
        }

        List<INamedTypeSymbol>? known = KnownTypes(type, path, out problem);
        if (problem is not null)
        {
            return null;
        }

        if (known is not null)
        {
            return ResolveUnion(type, known, path, plans, out problem);
        }

        if (type.TypeKind == TypeKind.Interface || type.IsAbstract)
        {
            string kind = type.TypeKind == TypeKind.Interface ? "an interface" : "an abstract class";
            problem = $"{path}: {Display(type)} ({kind} can't be created on the other side; list the types that may travel as it with [WorkerKnownType(typeof(...))] on {type.Name})";
            return null;
        }

        return ResolveObject(type, path, plans, out problem);
    }

    /// <summary>The types listed with [WorkerKnownType] on <paramref name="type"/>, sorted by name (their discriminators are 1, 2, ...); <see langword="null"/> if none.</summary>
    private static List<INamedTypeSymbol>? KnownTypes(INamedTypeSymbol type, string path, out string? problem)
    {
        problem = null;
        List<INamedTypeSymbol>? known = null;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is not { } c || MetadataName(c) != "ParallelGen.WorkerKnownTypeAttribute"
                || attribute.ConstructorArguments.Length != 1)
            {
                continue;
            }

            if (attribute.ConstructorArguments[0].Value is not INamedTypeSymbol derived || derived.IsUnboundGenericType)
            {
                problem = $"{path}: {Display(type)} ([WorkerKnownType] needs a closed type such as typeof(Circle))";
                return null;
            }

            if (type.TypeKind == TypeKind.Struct || type.IsSealed)
            {
                problem = $"{path}: {Display(type)} (it lists [WorkerKnownType] types but nothing can derive from it; remove the attribute)";
                return null;
            }

            if (derived.TypeKind == TypeKind.Interface || derived.IsAbstract || !DerivesFrom(derived, type))
            {
                problem = $"{path}: {Display(type)} ([WorkerKnownType(typeof({derived.Name}))] must name a concrete type that derives from or implements {type.Name})";
                return null;
            }

            known ??= [];
            if (!known.Contains(derived, SymbolEqualityComparer.Default))
            {
                known.Add(derived);
            }
        }

        if (known is not null && !type.IsAbstract && type.TypeKind == TypeKind.Class)
        {
            // A concrete base travels as itself too.
            known.Add(type);
        }

        if (known is { Count: > MaxKnownTypes })
        {
            problem = $"{path}: {Display(type)} (it lists {known.Count} types; at most {MaxKnownTypes} fit the one-byte discriminator)";
            return null;
        }

        known?.Sort((a, b) => string.CompareOrdinal(TypeName(a), TypeName(b)));
        return known;
    }

    private static bool DerivesFrom(INamedTypeSymbol derived, INamedTypeSymbol baseType)
    {
        if (baseType.TypeKind == TypeKind.Interface)
        {
            return derived.AllInterfaces.Contains(baseType, SymbolEqualityComparer.Default);
        }

        for (INamedTypeSymbol? t = derived.BaseType; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static string? ResolveUnion(INamedTypeSymbol type, List<INamedTypeSymbol> known, string path, WireCodecPlans plans, out string? problem)
    {
        problem = null;
        string typeName = TypeName(type);
        string codecName = CodecName(type, "WireUnion", typeName);
        if (plans.IsKnown(codecName))
        {
            plans.NoteReference(codecName);
            return Generated + codecName;
        }

        int mark = plans.Begin(codecName);
        var cases = new List<UnionCase>();
        for (int i = 0; i < known.Count; i++)
        {
            INamedTypeSymbol derived = known[i];
            string casePath = path + "(as " + derived.Name + ")";

            // The base's own case is its plain object codec; a derived type may have its own declared codec or known types.
            string? caseCodec = SymbolEqualityComparer.Default.Equals(derived, type)
                ? ResolveObject(derived, casePath, plans, out problem)
                : Resolve(derived, casePath, plans, true, out problem);
            if (caseCodec is null)
            {
                plans.Abandon(mark, codecName);
                return null;
            }

            cases.Add(new UnionCase(i + 1, TypeName(derived), FullDisplay(derived), caseCodec, Depth(derived)));
        }

        plans.Complete(new UnionCodecPlan(codecName, typeName, FullDisplay(type, typeName), cases));
        plans.NoteReference(codecName);
        return Generated + codecName;
    }

    private static int Depth(INamedTypeSymbol type)
    {
        int depth = 0;
        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            depth++;
        }

        return depth;
    }

    private static string? ResolveObject(INamedTypeSymbol type, string path, WireCodecPlans plans, out string? problem)
    {
        problem = null;
        string typeName = TypeName(type);
        string codecName = CodecName(type, "WireCodec", typeName);
        if (plans.IsKnown(codecName))
        {
            plans.NoteReference(codecName);
            return Generated + codecName;
        }

        if (InheritsFrameworkState(type) is { } frameworkBase)
        {
            problem = $"{path}: {Display(type)} (it derives from {Display(frameworkBase)}, whose state a generated codec can't see; hold the data in members instead)";
            return null;
        }

        if (type.AllInterfaces.Any(i => MetadataName(i) == "System.Collections.IEnumerable"))
        {
            problem = $"{path}: {Display(type)} (a custom collection's contents can't be seen through its public members; declare the member as T[], List<T>, Dictionary<K, V> or HashSet<T>)";
            return null;
        }

        List<Candidate> members = PublicMembers(type);
        IMethodSymbol? constructor = ChooseConstructor(type, members);
        if (constructor is null)
        {
            problem = $"{path}: {Display(type)} (it has no public constructor whose parameters all match public properties or fields by name and type; add one, or a public parameterless constructor with settable properties)";
            return null;
        }

        var byConstructor = new Dictionary<string, int>();
        for (int i = 0; i < constructor.Parameters.Length; i++)
        {
            byConstructor[MatchParameter(constructor.Parameters[i], members)!.Name] = i;
        }

        // Only a required member set by the constructor asks whether the constructor sets every required member.
        bool? setsRequired = null;
        int mark = plans.Begin(codecName);
        var planned = new List<WireMemberPlan>();
        members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (Candidate member in members)
        {
            bool viaConstructor = byConstructor.ContainsKey(member.Name);
            bool viaInitializer = !viaConstructor ? member.IsSettable : member.IsRequired && !(setsRequired ??= SetsRequiredMembers(constructor));
            if (!viaConstructor && !viaInitializer)
            {
                if (member.HasHiddenSetter)
                {
                    plans.Abandon(mark, codecName);
                    problem = $"{path}.{member.Name}: {Display(member.Type)} (its setter is not public, so the receiving process can't set it; make it public or init, or take it as a constructor parameter)";
                    return null;
                }

                // Get-only properties (computed, like Total => A + B) aren't data: they are recomputed on the other side.
                continue;
            }

            string? codec = Resolve(member.Type, path + "." + member.Name, plans, true, out problem);
            if (codec is null)
            {
                plans.Abandon(mark, codecName);
                return null;
            }

            planned.Add(new WireMemberPlan(member.Name, TypeName(member.Type), codec, viaConstructor ? byConstructor[member.Name] : -1, viaInitializer, FixedSize(member.Type)));
        }

        planned.Sort(WireOrder);

        bool checksExactType = type.TypeKind == TypeKind.Class && !type.IsSealed;
        plans.Complete(new ObjectCodecPlan(codecName, typeName, FullDisplay(type, typeName), type.IsValueType, checksExactType, constructor.Parameters.Length, planned));
        plans.NoteReference(codecName);
        return Generated + codecName;
    }

    /// <summary>Fixed-size numbers first (one block), then the rest; each group by name.</summary>
    private static int WireOrder(WireMemberPlan a, WireMemberPlan b)
    {
        int bySize = (a.FixedSize == 0).CompareTo(b.FixedSize == 0);
        return bySize != 0 ? bySize : string.CompareOrdinal(a.Name, b.Name);
    }

    /// <summary>A public instance property or field that may carry data.</summary>
    private sealed class Candidate(string name, ITypeSymbol type, bool isSettable, bool hasHiddenSetter, bool isRequired)
    {
        public string Name { get; } = name;

        public ITypeSymbol Type { get; } = type;

        public bool IsSettable { get; } = isSettable;

        public bool HasHiddenSetter { get; } = hasHiddenSetter;

        public bool IsRequired { get; } = isRequired;
    }

    /// <summary>Public instance properties (with a public getter, not indexers) and fields, the most derived declaration of each name.</summary>
    private static List<Candidate> PublicMembers(INamedTypeSymbol type)
    {
        var members = new List<Candidate>();

        // The names the more derived types declare: only a hierarchy needs them (one type can't declare a name twice).
        HashSet<string>? seen = null;
        for (INamedTypeSymbol? t = type; t is not null && !IsFrameworkType(t); t = t.BaseType)
        {
            // Any public member hides a base member of its name; with no base left to read, only data members are asked
            // their names (most of a record's members are methods, and a name's hash costs more than the other checks).
            bool hidesBase = t.BaseType is { } next && !IsFrameworkType(next);
            if (hidesBase)
            {
                seen ??= new HashSet<string>(System.StringComparer.Ordinal);
            }

            foreach (ISymbol symbol in t.GetMembers())
            {
                if ((!hidesBase && symbol.Kind is not (SymbolKind.Property or SymbolKind.Field))
                    || symbol.IsStatic || symbol.DeclaredAccessibility != Accessibility.Public || (seen is not null && !seen.Add(symbol.Name)))
                {
                    continue;
                }

                switch (symbol)
                {
                    case IPropertySymbol { IsIndexer: false, GetMethod.DeclaredAccessibility: Accessibility.Public } property when property.Name != "EqualityContract":
                        bool publicSetter = property.SetMethod is { DeclaredAccessibility: Accessibility.Public };
                        members.Add(new Candidate(property.Name, property.Type, publicSetter, property.SetMethod is not null && !publicSetter, property.IsRequired));
                        break;
                    case IFieldSymbol { IsConst: false, AssociatedSymbol: null } field:
                        members.Add(new Candidate(field.Name, field.Type, !field.IsReadOnly, field.IsReadOnly, field.IsRequired));
                        break;
                }
            }
        }

        return members;
    }

    /// <summary>
    /// The public constructor with the most parameters that all match members (by name, ignoring case, and type);
    /// ties go to the first by parameter names, so the choice never depends on declaration order.
    /// </summary>
    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<Candidate> members)
    {
        IMethodSymbol? best = null;
        string? bestKey = null;
        var matched = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility != Accessibility.Public || !MatchesDistinctMembers(constructor, members, matched))
            {
                continue;
            }

            if (best is null || constructor.Parameters.Length > best.Parameters.Length)
            {
                best = constructor;
                bestKey = null;
                continue;
            }

            if (constructor.Parameters.Length == best.Parameters.Length)
            {
                // A tie: the names decide (spelled only now; most types have one candidate).
                string key = ParameterKey(constructor);
                bestKey ??= ParameterKey(best);
                if (string.CompareOrdinal(key, bestKey) < 0)
                {
                    best = constructor;
                    bestKey = key;
                }
            }
        }

        return best;
    }

    /// <summary>Whether every parameter is by value (or in) and matches a member of its own (two parameters can't share one).</summary>
    private static bool MatchesDistinctMembers(IMethodSymbol constructor, List<Candidate> members, HashSet<string> matched)
    {
        matched.Clear();
        foreach (IParameterSymbol parameter in constructor.Parameters)
        {
            if (parameter.RefKind is not (RefKind.None or RefKind.In) || MatchParameter(parameter, members) is not { } member || !matched.Add(member.Name))
            {
                return false;
            }
        }

        return true;
    }

    private static string ParameterKey(IMethodSymbol constructor) => string.Join(",", constructor.Parameters.Select(p => p.Name));

    /// <summary>The member a constructor parameter sets: same name and type, or failing that, the name in another case.</summary>
    private static Candidate? MatchParameter(IParameterSymbol parameter, List<Candidate> members)
    {
        Candidate? ignoringCase = null;
        foreach (Candidate member in members)
        {
            if (string.Equals(member.Name, parameter.Name, System.StringComparison.OrdinalIgnoreCase)
                && SymbolEqualityComparer.Default.Equals(member.Type, parameter.Type))
            {
                if (member.Name == parameter.Name)
                {
                    return member;
                }

                ignoringCase ??= member;
            }
        }

        return ignoringCase;
    }

    private static bool SetsRequiredMembers(IMethodSymbol constructor) =>
        constructor.GetAttributes().Any(a => a.AttributeClass is { } c && MetadataName(c) == "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");

    /// <summary>The first framework base class (other than <c>object</c>) of <paramref name="type"/>, whose private state a codec would miss.</summary>
    private static INamedTypeSymbol? InheritsFrameworkState(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType)
            {
                return null;
            }

            if (IsFrameworkType(t))
            {
                return t;
            }
        }

        return null;
    }

    /// <summary>A private, protected or file-local type (or one nested in such a type) that generated code elsewhere in the assembly can't name.</summary>
    private static bool Inaccessible(INamedTypeSymbol type, string path, out string? problem)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (t.IsFileLocal)
            {
                problem = $"{path}: {Display(type)} ({(t.Equals(type, SymbolEqualityComparer.Default) ? "it" : t.Name)} is file-local, so generated codecs in other files can't name it; make it internal or public)";
                return true;
            }

            if (t.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                problem = $"{path}: {Display(type)} ({(t.Equals(type, SymbolEqualityComparer.Default) ? "it" : t.Name)} is {(t.DeclaredAccessibility == Accessibility.Private ? "private" : "protected")}, so generated codecs can't name it; make it internal or public)";
                return true;
            }
        }

        problem = null;
        return false;
    }

    /// <summary>The codec named by <c>[WireCodec(typeof(...))]</c> on the type, closed over the type's type arguments when open.</summary>
    private static string? GetDeclaredCodec(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.OriginalDefinition.GetAttributes())
        {
            if (attribute.AttributeClass is not { } c || MetadataName(c) != "ParallelGen.Serialization.WireCodecAttribute"
                || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol codec)
            {
                continue;
            }

            if (codec.IsUnboundGenericType)
            {
                if (codec.Arity != type.TypeArguments.Length)
                {
                    return null;
                }

                return TypeName(codec.OriginalDefinition.Construct(type.TypeArguments.ToArray()));
            }

            return TypeName(codec);
        }

        return null;
    }
}
