using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generators;

/// <summary>
/// The one rule that decides which types can cross a process boundary and which codec carries
/// each. The generator uses it to emit codecs; the PG0004 analyzer uses the same file to report
/// what fails, with the member path, so the two can never disagree.
/// </summary>
/// <remarks>
/// <para>
/// This file is self-contained (it needs only a type symbol, never a <see cref="Compilation"/>) because the
/// analyzers project links it as a single file. Everything the rule decides is here: which framework types
/// have runtime codecs, and for the user's records, classes, structs, polymorphic bases and enums, the
/// <see cref="WireCodecPlan"/> the generator turns into a codec struct.
/// </para>
/// <para>
/// A plan depends only on the type's public shape (members sorted by name), never on whether the type comes
/// from source or from metadata, so every assembly that emits a codec for the same type emits the same one.
/// </para>
/// </remarks>
internal static class WireTypeRules
{
    /// <summary>How many types a polymorphic base may list: the discriminator is one byte, 0 meaning <see langword="null"/>.</summary>
    public const int MaxKnownTypes = 255;

    private const string Codecs = "global::ParallelGen.Serialization.";
    private const string Generated = "global::ParallelGen.Generated.";

    /// <summary>Returns the codec type for <paramref name="type"/>, or <see langword="null"/> with <paramref name="problem"/> saying what fails and where.</summary>
    /// <param name="type">The type of a [Worker] parameter or result.</param>
    /// <param name="path">
    /// How <paramref name="problem"/> names the value at the root (a parameter's name, or its type's name as in
    /// <c>Order.Lines[].Handle: Stream (...)</c>). Members append <c>.Name</c>, elements <c>[]</c>, dictionary keys
    /// <c>.Keys[]</c>, and a type listed with [WorkerKnownType] <c>(as Circle)</c>.
    /// </param>
    /// <param name="problem">On failure: <c>path: Type (why)</c> for the first member that can't be carried.</param>
    public static string? GetCodec(ITypeSymbol type, string path, out string? problem) => GetCodec(type, path, null, out problem);

    /// <summary>
    /// As <see cref="GetCodec(ITypeSymbol, string, out string?)"/>; also records in <paramref name="plans"/> the codec
    /// structs the generator must emit (records, classes, structs, polymorphic bases, enums) for the returned codec to compile.
    /// </summary>
    public static string? GetCodec(ITypeSymbol type, string path, WireCodecPlans? plans, out string? problem) =>
        Resolve(type, path, plans ?? new WireCodecPlans(), useDeclaredCodec: true, out problem);

    /// <summary>
    /// The codec the generator emits for <paramref name="type"/> itself, ignoring a <c>[WireCodec]</c> on it: what a
    /// <c>[GenerateWireCodec(typeof(T))]</c> struct delegates to (that struct may itself be the type's declared codec).
    /// </summary>
    public static string? GetGeneratedCodec(ITypeSymbol type, string path, WireCodecPlans plans, out string? problem) =>
        Resolve(type, path, plans, useDeclaredCodec: false, out problem);

    private static string? Resolve(ITypeSymbol type, string path, WireCodecPlans plans, bool useDeclaredCodec, out string? problem)
    {
        problem = null;
        string name = TypeName(type);
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
                return Codecs + "BooleanCodec";
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
                return Codecs + "UnmanagedCodec<" + name + ">";
            case SpecialType.System_Decimal:
                return Codecs + "DecimalCodec";
            case SpecialType.System_String:
                return Codecs + "StringCodec";
            case SpecialType.System_DateTime:
                return Codecs + "DateTimeCodec";
        }

        if (type is IArrayTypeSymbol array)
        {
            return ResolveArray(array, path, plans, out problem);
        }

        if (type is not INamedTypeSymbol named || type.TypeKind is TypeKind.Delegate or TypeKind.Error)
        {
            problem = Problem(path, type);
            return null;
        }

        if (useDeclaredCodec && GetDeclaredCodec(named) is { } declared)
        {
            return declared;
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            return ResolveEnum(named, path, plans, out problem);
        }

        if (ResolveFramework(named, path, plans, out problem, out bool isFramework) is { } framework)
        {
            return framework;
        }

        if (isFramework)
        {
            return null;
        }

        return ResolveUserType(named, path, plans, out problem);
    }

    private static string? ResolveArray(IArrayTypeSymbol array, string path, WireCodecPlans plans, out string? problem)
    {
        problem = null;
        ITypeSymbol element = array.ElementType;
        string elementName = TypeName(element);
        if (array.Rank == 1)
        {
            if (IsBulkCopyable(element))
            {
                return Codecs + "UnmanagedArrayCodec<" + elementName + ">";
            }

            string? elementCodec = Resolve(element, path + "[]", plans, true, out problem);
            return elementCodec is null ? null : Codecs + "ArrayCodec<" + elementName + ", " + elementCodec + ">";
        }

        if (array.Rank > 4)
        {
            problem = $"{path}: {Display(array)} (arrays of more than 4 dimensions are not supported; use a flat array and compute the index)";
            return null;
        }

        string rank = array.Rank.ToString(CultureInfo.InvariantCulture);
        if (IsBulkCopyable(element))
        {
            return Codecs + "UnmanagedArray" + rank + "DCodec<" + elementName + ">";
        }

        string? codec = Resolve(element, path + "[" + new string(',', array.Rank - 1) + "]", plans, true, out problem);
        return codec is null ? null : Codecs + "Array" + rank + "DCodec<" + elementName + ", " + codec + ">";
    }

    /// <summary>Framework (System.*) types with runtime codecs. Sets <paramref name="isFramework"/> when the type is the framework's, supported or not.</summary>
    private static string? ResolveFramework(INamedTypeSymbol named, string path, WireCodecPlans plans, out string? problem, out bool isFramework)
    {
        problem = null;
        isFramework = true;
        string name = TypeName(named);
        ITypeSymbol[] args = named.TypeArguments.ToArray();
        switch (MetadataName(named))
        {
            case "System.Guid":
            case "System.TimeSpan":
            case "System.Half":
            case "System.Int128":
            case "System.UInt128":
            case "System.Numerics.Complex":
                return Codecs + "UnmanagedCodec<" + name + ">";
            case "System.DateTimeOffset":
                return Codecs + "DateTimeOffsetCodec";
            case "System.DateOnly":
                return Codecs + "DateOnlyCodec";
            case "System.TimeOnly":
                return Codecs + "TimeOnlyCodec";
            case "System.Numerics.BigInteger":
                return Codecs + "BigIntegerCodec";
            case "System.Nullable`1":
                return Wrap("NullableCodec", args, [path], plans, out problem);
            case "System.Collections.Generic.List`1":
                return IsBulkCopyable(args[0]) ? Codecs + "UnmanagedListCodec<" + TypeName(args[0]) + ">" : Wrap("ListCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Immutable.ImmutableArray`1":
                return IsBulkCopyable(args[0]) ? Codecs + "UnmanagedImmutableArrayCodec<" + TypeName(args[0]) + ">" : Wrap("ImmutableArrayCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.IEnumerable`1":
                return Wrap("EnumerableCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.IReadOnlyList`1":
                return Wrap("ReadOnlyListCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.IReadOnlyCollection`1":
                return Wrap("ReadOnlyCollectionCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.IList`1":
                return Wrap("ListInterfaceCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.ICollection`1":
                return Wrap("CollectionInterfaceCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.HashSet`1":
                return Wrap("HashSetCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.Dictionary`2":
                return Wrap("DictionaryCodec", args, [path + ".Keys[]", path + "[]"], plans, out problem);
            case "System.Collections.Generic.IDictionary`2":
                return Wrap("DictionaryInterfaceCodec", args, [path + ".Keys[]", path + "[]"], plans, out problem);
            case "System.Collections.Generic.IReadOnlyDictionary`2":
                return Wrap("ReadOnlyDictionaryCodec", args, [path + ".Keys[]", path + "[]"], plans, out problem);
            case "System.Collections.Generic.KeyValuePair`2":
                return Wrap("KeyValuePairCodec", args, [path + ".Key", path + ".Value"], plans, out problem);
            case "System.Memory`1":
            case "System.ReadOnlyMemory`1":
                if (IsBulkCopyable(args[0]))
                {
                    return Codecs + (named.Name == "Memory" ? "MemoryCodec<" : "ReadOnlyMemoryCodec<") + TypeName(args[0]) + ">";
                }

                problem = $"{path}: {Display(named)} ({named.Name}<T> is carried only for unmanaged numeric T, copied in bulk; use {Display(args[0])}[] or List<{Display(args[0])}>)";
                return null;
        }

        if (named.IsTupleType)
        {
            return ResolveTuple(named, path, plans, out problem);
        }

        if (IsFrameworkType(named))
        {
            problem = Problem(path, named);
            return null;
        }

        isFramework = false;
        return null;
    }

    /// <summary>A generic runtime codec over the codecs of <paramref name="args"/>: <c>Codec&lt;T1, C1, T2, C2&gt;</c>.</summary>
    private static string? Wrap(string codec, ITypeSymbol[] args, string[] paths, WireCodecPlans plans, out string? problem)
    {
        problem = null;
        var parts = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string? argCodec = Resolve(args[i], paths[i], plans, true, out problem);
            if (argCodec is null)
            {
                return null;
            }

            parts.Add(TypeName(args[i]));
            parts.Add(argCodec);
        }

        return Codecs + codec + "<" + string.Join(", ", parts) + ">";
    }

    private static string? ResolveTuple(INamedTypeSymbol tuple, string path, WireCodecPlans plans, out string? problem)
    {
        problem = null;
        if (tuple.TupleElements.Length is < 2 or > 8)
        {
            problem = $"{path}: {Display(tuple)} (value tuples of 2 to 8 elements are carried; use a record for more)";
            return null;
        }

        var parts = new List<string>();
        foreach (IFieldSymbol element in tuple.TupleElements)
        {
            string? elementCodec = Resolve(element.Type, path + "." + element.Name, plans, true, out problem);
            if (elementCodec is null)
            {
                return null;
            }

            parts.Add(TypeName(element.Type));
            parts.Add(elementCodec);
        }

        return Codecs + "TupleCodec<" + string.Join(", ", parts) + ">";
    }

    private static string? ResolveEnum(INamedTypeSymbol type, string path, WireCodecPlans plans, out string? problem)
    {
        if (Inaccessible(type, path, out problem))
        {
            return null;
        }

        string codecName = CodecName(type, "WireEnum");
        if (plans.Find(codecName) is null)
        {
            INamedTypeSymbol? underlying = type.EnumUnderlyingType;
            string underlyingName = underlying is null ? "int" : TypeName(underlying);
            bool isUnsigned = underlying?.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64;
            var values = new SortedSet<ulong>();
            ulong mask = 0;
            foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.HasConstantValue && field.ConstantValue is { } constant)
                {
                    ulong bits = ToBits(constant);
                    values.Add(bits);
                    mask |= bits;
                }
            }

            bool isFlags = type.GetAttributes().Any(a => a.AttributeClass is { } c && MetadataName(c) == "System.FlagsAttribute");

            // Signed values sort by their two's complement bits here; the order only has to be deterministic.
            plans.Add(new EnumCodecPlan(
                codecName,
                TypeName(type),
                FullDisplay(type),
                underlyingName,
                values.Select(v => EnumLiteral(v, underlying?.SpecialType ?? SpecialType.System_Int32, isUnsigned)).ToList(),
                isFlags,
                EnumLiteral(mask, underlying?.SpecialType ?? SpecialType.System_Int32, isUnsigned)));
        }

        plans.NoteReference(codecName);
        return Generated + codecName;
    }

    private static ulong ToBits(object constant) => constant switch
    {
        sbyte v => unchecked((ulong)v),
        byte v => v,
        short v => unchecked((ulong)v),
        ushort v => v,
        int v => unchecked((ulong)v),
        uint v => v,
        long v => unchecked((ulong)v),
        ulong v => v,
        _ => 0,
    };

    private static string EnumLiteral(ulong bits, SpecialType underlying, bool isUnsigned)
    {
        if (isUnsigned)
        {
            string text = bits.ToString(CultureInfo.InvariantCulture);
            return underlying switch
            {
                SpecialType.System_UInt64 => text + "UL",
                SpecialType.System_UInt32 => text + "U",
                _ => text,
            };
        }

        string signed = unchecked((long)bits).ToString(CultureInfo.InvariantCulture);
        return underlying == SpecialType.System_Int64 ? signed + "L" : signed;
    }

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
        string codecName = CodecName(type, "WireUnion");
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

        plans.Complete(new UnionCodecPlan(codecName, TypeName(type), FullDisplay(type), cases));
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
        string codecName = CodecName(type, "WireCodec");
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

        bool setsRequired = constructor.GetAttributes().Any(a => a.AttributeClass is { } c && MetadataName(c) == "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");
        var byConstructor = new Dictionary<string, int>();
        for (int i = 0; i < constructor.Parameters.Length; i++)
        {
            byConstructor[MatchParameter(constructor.Parameters[i], members)!.Name] = i;
        }

        int mark = plans.Begin(codecName);
        var planned = new List<WireMemberPlan>();
        foreach (Candidate member in members.OrderBy(m => m.Name, System.StringComparer.Ordinal))
        {
            bool viaConstructor = byConstructor.ContainsKey(member.Name);
            bool viaInitializer = !viaConstructor ? member.IsSettable : member.IsRequired && !setsRequired;
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

        // Wire order: fixed-size numbers first (one block), then the rest; each group by name.
        planned = [.. planned.OrderBy(m => m.FixedSize == 0).ThenBy(m => m.Name, System.StringComparer.Ordinal)];

        bool checksExactType = type.TypeKind == TypeKind.Class && !type.IsSealed;
        plans.Complete(new ObjectCodecPlan(codecName, TypeName(type), FullDisplay(type), type.IsValueType, checksExactType, constructor.Parameters.Length, planned));
        plans.NoteReference(codecName);
        return Generated + codecName;
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
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        for (INamedTypeSymbol? t = type; t is not null && !IsFrameworkType(t); t = t.BaseType)
        {
            foreach (ISymbol symbol in t.GetMembers())
            {
                if (symbol.IsStatic || symbol.DeclaredAccessibility != Accessibility.Public || !seen.Add(symbol.Name))
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
        string bestKey = "";
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility != Accessibility.Public
                || constructor.Parameters.Any(p => p.RefKind is not (RefKind.None or RefKind.In) || MatchParameter(p, members) is null)
                || constructor.Parameters.Select(p => MatchParameter(p, members)!.Name).Distinct().Count() != constructor.Parameters.Length)
            {
                continue;
            }

            string key = string.Join(",", constructor.Parameters.Select(p => p.Name));
            if (best is null || constructor.Parameters.Length > best.Parameters.Length
                || (constructor.Parameters.Length == best.Parameters.Length && string.CompareOrdinal(key, bestKey) < 0))
            {
                best = constructor;
                bestKey = key;
            }
        }

        return best;
    }

    private static Candidate? MatchParameter(IParameterSymbol parameter, List<Candidate> members) =>
        members.FirstOrDefault(m => m.Name == parameter.Name && SymbolEqualityComparer.Default.Equals(m.Type, parameter.Type))
        ?? members.FirstOrDefault(m => string.Equals(m.Name, parameter.Name, System.StringComparison.OrdinalIgnoreCase) && SymbolEqualityComparer.Default.Equals(m.Type, parameter.Type));

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

    /// <summary>
    /// The name of a generated codec struct: readable (the type's name) and unique (a hash of its full name), e.g.
    /// <c>Order_WireCodec_1a2b3c4d</c>. The same type gets the same name in every assembly.
    /// </summary>
    private static string CodecName(INamedTypeSymbol type, string kind)
    {
        string full = TypeName(type);
        uint hash = 2166136261;
        foreach (char ch in kind + ":" + full)
        {
            hash = unchecked((hash ^ ch) * 16777619);
        }

        return type.Name + "_" + kind + "_" + hash.ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>The C# name used in generated code: fully qualified, nullable reference annotations dropped (generated code is nullable-oblivious).</summary>
    public static string TypeName(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(FullyQualifiedNoAnnotations);

    /// <summary>Metadata name with namespace, e.g. <c>System.Collections.Generic.List`1</c>.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        INamedTypeSymbol definition = type.OriginalDefinition;
        string ns = definition.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        string containing = "";
        for (INamedTypeSymbol? outer = definition.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing = outer.MetadataName + "+" + containing;
        }

        return ns + containing + definition.MetadataName;
    }

    private static readonly SymbolDisplayFormat FullyQualifiedNoAnnotations = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>The size in bytes of a member carried by <c>UnmanagedCodec</c> (every bit pattern valid, fixed size), or 0.</summary>
    private static int FixedSize(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
                return 1;
            case SpecialType.System_Char:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
                return 2;
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Single:
                return 4;
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Double:
                return 8;
        }

        return type is INamedTypeSymbol n ? MetadataName(n) switch
        {
            "System.Half" => 2,
            "System.TimeSpan" => 8,
            "System.Guid" or "System.Int128" or "System.UInt128" or "System.Numerics.Complex" => 16,
            _ => 0,
        } : 0;
    }

    /// <summary>Element types whose every bit pattern is a valid value: arrays, lists and memory of them travel as one block copy.</summary>
    private static bool IsBulkCopyable(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Single or SpecialType.System_Double => true,
        _ => type is INamedTypeSymbol n && MetadataName(n) is "System.Guid" or "System.TimeSpan" or "System.Half" or "System.Int128" or "System.UInt128" or "System.Numerics.Complex",
    };

    /// <summary>
    /// Types of the framework (System.*, Microsoft.*) and of Parallel.Gen itself: carried only when listed above or
    /// named by [WireCodec] (the runtime's handles), never taken apart member by member.
    /// </summary>
    private static bool IsFrameworkType(INamedTypeSymbol type)
    {
        if (type.ContainingAssembly?.Name == "Parallel.Gen")
        {
            return true;
        }

        INamespaceSymbol? root = type.ContainingNamespace;
        while (root is { IsGlobalNamespace: false } && root.ContainingNamespace is { IsGlobalNamespace: false })
        {
            root = root.ContainingNamespace;
        }

        return root is { IsGlobalNamespace: false, Name: "System" or "Microsoft" } || type.SpecialType != SpecialType.None;
    }

    private static string Display(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    /// <summary>The name generated code uses for the type in error messages: namespace-qualified, without <c>global::</c>.</summary>
    private static string FullDisplay(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

    private static string Problem(string path, ITypeSymbol type) => $"{path}: {Display(type)} ({Why(type)})";

    private static string Why(ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Delegate)
        {
            return "a delegate is code bound to this process; pass a [Worker] method's data instead";
        }

        if (type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return "a pointer is an address in this process's memory";
        }

        if (type.TypeKind == TypeKind.Error)
        {
            return "the type could not be resolved";
        }

        if (type.TypeKind == TypeKind.TypeParameter)
        {
            return "a type parameter; [Worker] signatures need concrete types";
        }

        if (type.TypeKind == TypeKind.Dynamic || type.SpecialType == SpecialType.System_Object)
        {
            return "it can hold anything; declare the concrete type, or an abstract base that lists its types with [WorkerKnownType]";
        }

        if (type is INamedTypeSymbol named)
        {
            string metadataName = MetadataName(named);
            if (metadataName is "System.IntPtr" or "System.UIntPtr" || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
            {
                return "a native handle or address only means something in this process";
            }

            if (metadataName.StartsWith("System.Threading.Tasks.Task", System.StringComparison.Ordinal) || metadataName.StartsWith("System.Threading.Tasks.ValueTask", System.StringComparison.Ordinal))
            {
                return "a Task is a promise inside this process; pass its result";
            }

            if (metadataName is "ParallelGen.ProcessPool" or "ParallelGen.WorkerPool")
            {
                return "a pool belongs to the process that created it; workers can't use it";
            }

            if (InheritsFrom(named, "System.IO.Stream"))
            {
                return "a stream wraps a handle of this process; pass its bytes";
            }

            if (metadataName is "System.Threading.Thread" or "System.Threading.CancellationTokenSource")
            {
                return "it belongs to this process";
            }

            if (metadataName == "System.Threading.CancellationToken")
            {
                return "a CancellationToken travels only as a [Worker] parameter of its own, which the pool fills in";
            }

            if (InheritsFrom(named, "System.Exception"))
            {
                return "an exception is not data; pass its message, or a record of what the worker needs";
            }

            if (named.IsRefLikeType)
            {
                return "a ref struct lives on this thread's stack; use an array or Memory<T>";
            }

            if (named.AllInterfaces.Any(i => MetadataName(i) == "System.Collections.IEnumerable"))
            {
                return "this collection type is not carried; use T[], List<T>, Dictionary<K, V>, HashSet<T>, ImmutableArray<T> or IReadOnlyList<T>";
            }
        }

        return "this type is not carried by the generated serializers (see docs/serialization.md for the types that are)";
    }

    private static bool InheritsFrom(INamedTypeSymbol type, string metadataName)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (MetadataName(t) == metadataName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <c>System.Threading.CancellationToken</c> (a worker parameter filled in by the pool, not serialized).</summary>
    public static bool IsCancellationToken(ITypeSymbol type) => type is INamedTypeSymbol n && MetadataName(n) == "System.Threading.CancellationToken";

    /// <summary>Whether <paramref name="symbol"/> carries <c>[ParallelGen.Worker]</c>.</summary>
    public static bool HasWorkerAttribute(ISymbol symbol) => symbol.GetAttributes().Any(a => a.AttributeClass is { } c && MetadataName(c) == "ParallelGen.WorkerAttribute");
}

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

/// <summary>A codec struct the generator emits into the consuming assembly (a <c>file</c>-local struct in namespace ParallelGen.Generated).</summary>
internal abstract class WireCodecPlan(string codecName, string typeName, string displayName)
{
    /// <summary>The struct's name, e.g. <c>Order_WireCodec_1a2b3c4d</c>.</summary>
    public string CodecName { get; } = codecName;

    /// <summary>The carried type, fully qualified.</summary>
    public string TypeName { get; } = typeName;

    /// <summary>The carried type as error messages name it.</summary>
    public string DisplayName { get; } = displayName;

    /// <summary>The generated codecs this one calls.</summary>
    public HashSet<string> References { get; } = new(System.StringComparer.Ordinal);
}

/// <summary>A record, class or struct carried as its members (fixed-size numbers first, each group in name order); created through a constructor and an object initializer.</summary>
internal sealed class ObjectCodecPlan(string codecName, string typeName, string displayName, bool isValueType, bool checksExactType, int constructorArity, IReadOnlyList<WireMemberPlan> members)
    : WireCodecPlan(codecName, typeName, displayName)
{
    public bool IsValueType { get; } = isValueType;

    /// <summary>A non-sealed class: the writer refuses a derived instance (its extra members would be lost) unless the base lists it.</summary>
    public bool ChecksExactType { get; } = checksExactType;

    public int ConstructorArity { get; } = constructorArity;

    /// <summary>The carried members, in wire order: fixed-size numbers, then the rest, each ordinal by name.</summary>
    public IReadOnlyList<WireMemberPlan> Members { get; } = members;
}

/// <summary>One carried member: how it is read (its codec) and how it is set on the new value.</summary>
internal sealed class WireMemberPlan(string name, string typeName, string codec, int constructorIndex, bool viaInitializer, int fixedSize)
{
    /// <summary>Bytes of a fixed-size number (every bit pattern valid), carried in the record's fixed block; 0 for the rest.</summary>
    public int FixedSize { get; } = fixedSize;

    public string Name { get; } = name;

    public string TypeName { get; } = typeName;

    public string Codec { get; } = codec;

    /// <summary>The constructor parameter it is passed as, or -1.</summary>
    public int ConstructorIndex { get; } = constructorIndex;

    /// <summary>Set in the object initializer (settable and not passed to the constructor, or <c>required</c>).</summary>
    public bool ViaInitializer { get; } = viaInitializer;
}

/// <summary>A polymorphic base: a one-byte discriminator (0 for <see langword="null"/>), then the value by its own codec.</summary>
internal sealed class UnionCodecPlan(string codecName, string typeName, string displayName, IReadOnlyList<UnionCase> cases)
    : WireCodecPlan(codecName, typeName, displayName)
{
    /// <summary>The types that may travel, sorted by name; their discriminators are 1, 2, ...</summary>
    public IReadOnlyList<UnionCase> Cases { get; } = cases;
}

/// <summary>One type a polymorphic base may carry.</summary>
internal sealed class UnionCase(int tag, string typeName, string displayName, string codec, int depth)
{
    public int Tag { get; } = tag;

    public string TypeName { get; } = typeName;

    public string DisplayName { get; } = displayName;

    public string Codec { get; } = codec;

    /// <summary>How many base classes it has: the writer tests the most derived types first.</summary>
    public int Depth { get; } = depth;
}

/// <summary>An enum carried as its underlying integer; the reader accepts only defined values (or, for [Flags], defined bits).</summary>
internal sealed class EnumCodecPlan(string codecName, string typeName, string displayName, string underlyingType, IReadOnlyList<string> values, bool isFlags, string mask)
    : WireCodecPlan(codecName, typeName, displayName)
{
    public string UnderlyingType { get; } = underlyingType;

    /// <summary>The distinct defined values, as literals of the underlying type.</summary>
    public IReadOnlyList<string> Values { get; } = values;

    public bool IsFlags { get; } = isFlags;

    /// <summary>All defined bits, as a literal of the underlying type.</summary>
    public string Mask { get; } = mask;
}
