using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using ParallelGen.Generators.Models;

namespace ParallelGen.Generators;

/// <summary>
/// Renders codec models (<see cref="CodecSpec"/>) as C# codec structs: <c>internal</c> structs in namespace
/// ParallelGen.Generated, each emitted once per assembly into <c>WireCodecs.g.cs</c>, which the table, the
/// interceptors, the item registrations and <c>[GenerateWireCodec]</c> structs all name. Two assemblies that carry the
/// same type each have their own copy; being generated from the type's shape alone, the copies are identical, so both
/// ends of the wire always agree. (Where one assembly sees the other's internals, the compiler picks the copy in its own
/// source and warns CS0436; generated files switch that warning off.)
/// </summary>
internal static class CodecEmitter
{
    private const string Serialization = "global::ParallelGen.Serialization.";
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe.";

    /// <summary>
    /// Writes <paramref name="codecs"/> into an open <c>namespace ParallelGen.Generated</c>, in the order given
    /// (<see cref="CodecSources.All"/> gives each name once, in name order).
    /// </summary>
    public static void Write(IndentedWriter w, IEnumerable<CodecSpec> codecs)
    {
        bool first = true;
        foreach (CodecSpec codec in codecs)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            Render(w, codec);
        }
    }

    private static void Render(IndentedWriter w, CodecSpec codec)
    {
        w.Line("/// <summary>Carries " + codec.DisplayName.Replace("<", "&lt;").Replace(">", "&gt;") + " across the process boundary.</summary>");
        w.Line(GeneratedCodeInfo.Attribute);
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open("internal readonly struct " + codec.Name + " : " + Serialization + "IWireCodec<" + codec.TypeName + ">");
        switch (codec)
        {
            case ObjectCodecSpec o:
                RenderObject(w, o);
                break;
            case UnionCodecSpec u:
                RenderUnion(w, u);
                break;
            case EnumCodecSpec e:
                RenderEnum(w, e);
                break;
        }

        w.Close();
    }

    private static void RenderObject(IndentedWriter w, ObjectCodecSpec plan)
    {
        string display = Literal(plan.DisplayName);
        w.Open("public static void Write(" + Serialization + "WireWriter writer, " + plan.TypeName + " value)");
        if (!plan.IsValueType)
        {
            w.Open("if (value is null)");
            w.Line("writer.WriteByte(0);");
            w.Line("return;");
            w.Close();
            w.Line();
            if (plan.ChecksExactType)
            {
                w.Open("if (value.GetType() != typeof(" + plan.TypeName + "))");
                w.Line("throw " + Serialization + "GeneratedCodecErrors.UnlistedType(value, " + display + ");");
                w.Close();
                w.Line();
            }

            w.Line("writer.WriteByte(1);");
        }

        if (plan.Members.Count == 0 && plan.IsValueType)
        {
            // Every value takes at least one byte, so a count of elements can never claim more than the payload holds.
            w.Line("writer.WriteByte(0);");
        }

        if (plan.IsRecursive)
        {
            w.Line("writer.EnterNested(" + display + ");");
            w.Open("try");
        }

        int blockSize = BlockSize(plan);
        if (blockSize > 0)
        {
            // The fixed-size numbers lead the wire order: one capacity check for all of them.
            w.Line("ref byte block = ref writer.Reserve(" + blockSize.ToString(CultureInfo.InvariantCulture) + ");");
        }

        int offset = 0;
        foreach (CodecMemberSpec member in plan.Members)
        {
            if (blockSize > 0 && member.FixedSize > 0)
            {
                w.Line(Unsafe + "WriteUnaligned(" + BlockAt(offset) + ", value." + Identifier(member.Name) + ");");
                offset += member.FixedSize;
            }
            else
            {
                w.Line(member.Codec + ".Write(writer, value." + Identifier(member.Name) + ");");
            }
        }

        if (plan.IsRecursive)
        {
            w.Close();
            w.Open("finally");
            w.Line("writer.ExitNested();");
            w.Close();
        }

        w.Close();
        w.Line();
        w.Open("public static " + plan.TypeName + " Read(ref " + Serialization + "WireReader reader)");
        if (!plan.IsValueType)
        {
            w.Open("if (!reader.ReadPresence(" + display + "))");
            w.Line("return null;");
            w.Close();
            w.Line();
        }

        if (plan.Members.Count == 0 && plan.IsValueType)
        {
            w.Line("byte marker = reader.ReadByte();");
            w.Open("if (marker != 0)");
            w.Line("throw " + Serialization + "GeneratedCodecErrors.CorruptEmptyStruct(in reader, marker, " + display + ");");
            w.Close();
            w.Line();
        }

        if (plan.Members.Count > 0)
        {
            w.Line("string outer = reader.EnterType(" + display + ");");
            if (plan.IsRecursive)
            {
                w.Line("reader.EnterNested(" + display + ");");
            }

            int readBlock = BlockSize(plan);
            if (readBlock > 0)
            {
                w.Line("ref byte block = ref reader.ReadBlock(" + readBlock.ToString(CultureInfo.InvariantCulture) + ", " + display + ");");
            }

            int readOffset = 0;
            for (int i = 0; i < plan.Members.Count; i++)
            {
                CodecMemberSpec member = plan.Members[i];
                if (readBlock > 0 && member.FixedSize > 0)
                {
                    w.Line(member.TypeName + " " + Local(i) + " = " + Unsafe + "ReadUnaligned<" + member.TypeName + ">(" + BlockAt(readOffset) + ");");
                    readOffset += member.FixedSize;
                }
                else
                {
                    w.Line(member.TypeName + " " + Local(i) + " = " + member.Codec + ".Read(ref reader);");
                }
            }

            if (plan.IsRecursive)
            {
                w.Line("reader.ExitNested();");
            }

            w.Line("reader.ExitType(outer);");
        }

        w.Line("return " + Construction(plan) + ";");
        w.Close();
        if (plan.IsValueType)
        {
            // A struct takes at least its members' minimums: collections of it check counts against that, not against one byte.
            string sum = plan.Members.Count == 0
                ? "1"
                : string.Join(" + ", plan.Members.Select(m => Serialization + "WireSize.Of<" + m.TypeName + ", " + m.Codec + ">()"));
            w.Line();
            w.Line("public static int MinWireSize => " + sum + ";");
        }
    }

    /// <summary><c>new T(ctor args) { initialized = members }</c>, from the locals read in wire order.</summary>
    private static string Construction(ObjectCodecSpec plan)
    {
        string[] arguments = new string[plan.ConstructorArity];
        var initializers = new List<string>();
        for (int i = 0; i < plan.Members.Count; i++)
        {
            CodecMemberSpec member = plan.Members[i];
            if (member.ConstructorIndex >= 0)
            {
                arguments[member.ConstructorIndex] = Local(i);
            }

            if (member.ViaInitializer)
            {
                initializers.Add(Identifier(member.Name) + " = " + Local(i));
            }
        }

        string text = "new " + plan.TypeName + "(" + string.Join(", ", arguments) + ")";
        return initializers.Count == 0 ? text : text + " { " + string.Join(", ", initializers) + " }";
    }

    private static void RenderUnion(IndentedWriter w, UnionCodecSpec plan)
    {
        string display = Literal(plan.DisplayName);
        bool hasSelf = plan.Cases.Any(c => c.TypeName == plan.TypeName);
        w.Open("public static void Write(" + Serialization + "WireWriter writer, " + plan.TypeName + " value)");
        w.Open("switch (value)");
        w.Line("case null:");
        w.Line("    writer.WriteByte(0);");
        w.Line("    return;");

        // Most derived first: a case for a base would otherwise take its derived types' values.
        foreach (UnionCaseSpec c in plan.Cases.OrderByDescending(c => c.Depth).ThenBy(c => c.Tag))
        {
            w.Line("case " + c.TypeName + " v" + c.Tag.ToString(CultureInfo.InvariantCulture) + ":");
            w.Line("    writer.WriteByte(" + c.Tag.ToString(CultureInfo.InvariantCulture) + ");");
            w.Line("    " + c.Codec + ".Write(writer, v" + c.Tag.ToString(CultureInfo.InvariantCulture) + ");");
            w.Line("    return;");
        }

        if (!hasSelf)
        {
            // (A concrete base's own case takes every other value; its codec refuses types it doesn't know.)
            w.Line("default:");
            w.Line("    throw " + Serialization + "GeneratedCodecErrors.UnlistedType(value, " + display + ");");
        }

        w.Close();
        w.Close();
        w.Line();
        w.Open("public static " + plan.TypeName + " Read(ref " + Serialization + "WireReader reader)");
        w.Line("byte tag = reader.ReadTag(" + display + ");");
        w.Open("switch (tag)");
        w.Line("case 0:");
        w.Line("    return null;");
        foreach (UnionCaseSpec c in plan.Cases)
        {
            w.Line("case " + c.Tag.ToString(CultureInfo.InvariantCulture) + ":");
            w.Line("    return " + c.Codec + ".Read(ref reader);");
        }

        w.Line("default:");
        w.Line("    throw " + Serialization + "GeneratedCodecErrors.UnknownDiscriminator(in reader, tag, " + display + ");");
        w.Close();
        w.Close();
    }

    private static void RenderEnum(IndentedWriter w, EnumCodecSpec plan)
    {
        string display = Literal(plan.DisplayName);
        w.Line("public static void Write(" + Serialization + "WireWriter writer, " + plan.TypeName + " value) => writer.WriteUnmanaged(value);");
        w.Line();
        w.Open("public static " + plan.TypeName + " Read(ref " + Serialization + "WireReader reader)");
        w.Line(plan.UnderlyingType + " raw = reader.ReadUnmanaged<" + plan.UnderlyingType + ">();");
        string undefined = "return " + Serialization + "GeneratedCodecErrors.UndefinedEnumValue<" + plan.TypeName + ", " + plan.UnderlyingType + ">(in reader, raw, " + display + ");";
        if (plan.IsFlags)
        {
            // Any combination of the defined flags is a value of the enum; a bit no flag defines is not.
            w.Open("if ((raw & unchecked((" + plan.UnderlyingType + ")~" + plan.Mask + ")) == 0)");
            w.Line("return (" + plan.TypeName + ")raw;");
            w.Close();
        }
        else if (plan.Values.Count > 0)
        {
            w.Open("switch (raw)");
            foreach (string value in plan.Values)
            {
                w.Line("case " + value + ":");
            }

            w.Line("    return (" + plan.TypeName + ")raw;");
            w.Close();
        }

        w.Line();
        w.Line(undefined);

        w.Close();
        w.Line();
        w.Line("public static int MinWireSize => sizeof(" + plan.UnderlyingType + ");");
    }

    /// <summary>The bytes of the fixed-size block, when there are two or more such members to share it; else 0.</summary>
    private static int BlockSize(ObjectCodecSpec plan) =>
        plan.Members.Count(m => m.FixedSize > 0) >= 2 ? plan.Members.Sum(m => m.FixedSize) : 0;

    private static string BlockAt(int offset) =>
        offset == 0 ? "ref block" : "ref " + Unsafe + "Add(ref block, " + offset.ToString(CultureInfo.InvariantCulture) + ")";

    private static string Local(int index) => "m" + index.ToString(CultureInfo.InvariantCulture);

    private static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static string Literal(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
