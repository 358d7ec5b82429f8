using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelGen.Analyzers.Infrastructure;
using ParallelGen.Generators;

namespace ParallelGen.Analyzers.Workers;

/// <summary>
/// PG0003: a <c>[Worker]</c> method that a worker process can't call with nothing but its serialized arguments:
/// an instance method (no object there), a generic one (no type arguments there), <c>ref</c>/<c>out</c>/<c>in</c> or
/// pointer parameters (nothing travels back but the result), a method the generated dispatch table can't
/// reach (private, or inside a private or file-local type), or more arguments than a worker takes.
/// The generator skips such methods; this says why.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidWorkerShapeAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property set when adding <c>static</c> is all the method needs (its body uses no instance state).</summary>
    public const string MakeStaticProperty = "MakeStatic";

    /// <summary>The most serialized arguments a worker takes (the generator's limit: one value tuple).</summary>
    public const int MaxWorkerArguments = 8;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.InvalidWorkerShape];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (WellKnownTypes.Create(start.Compilation) is not { } types)
            {
                return;
            }

            start.RegisterSymbolStartAction(symbolStart => AnalyzeMethod(symbolStart, types), SymbolKind.Method);
        });
    }

    private static void AnalyzeMethod(SymbolStartAnalysisContext context, WellKnownTypes types)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!types.IsWorker(method))
        {
            return;
        }

        List<string> reasons = Reasons(method);
        if (reasons.Count == 0)
        {
            return;
        }

        // Adding 'static' fixes it only when being an instance method is the one problem and the body never uses 'this'.
        bool onlyInstance = reasons.Count == 1 && !method.IsStatic && method.MethodKind == MethodKind.Ordinary
            && !method.IsVirtual && !method.IsOverride && !method.IsAbstract && method.ExplicitInterfaceImplementations.IsEmpty
            && method.ContainingType.TypeKind is TypeKind.Class or TypeKind.Struct && !method.ContainingType.IsStatic
            && !ImplementsInterfaceMember(method);
        var usesInstance = new StrongBox();
        if (onlyInstance)
        {
            context.RegisterOperationAction(_ => usesInstance.Value = true, OperationKind.InstanceReference);
        }

        context.RegisterSymbolEndAction(end =>
        {
            Location location = method.Locations.FirstOrDefault() ?? Location.None;
            ImmutableDictionary<string, string?> properties = onlyInstance && !usesInstance.Value
                ? ImmutableDictionary<string, string?>.Empty.Add(MakeStaticProperty, "true")
                : ImmutableDictionary<string, string?>.Empty;
            end.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidWorkerShape, location, properties, method.ShortName(), string.Join(", and ", reasons)));
        });
    }

    private static List<string> Reasons(IMethodSymbol method)
    {
        var reasons = new List<string>();
        if (method.MethodKind != MethodKind.Ordinary)
        {
            reasons.Add("is not an ordinary method (" + method.MethodKind + ")");
        }

        if (!method.IsStatic)
        {
            reasons.Add("is an instance method (no worker process has an object to call it on; make it static)");
        }

        if (method.IsGenericMethod)
        {
            reasons.Add("is generic (a worker process can't choose its type arguments)");
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                reasons.Add($"has {RefKindName(parameter.RefKind)} parameter '{parameter.Name}' (only the return value travels back)");
            }
            else if (parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
            {
                reasons.Add($"has pointer parameter '{parameter.Name}' (an address in this process means nothing in another)");
            }
        }

        int serialized = method.Parameters.Count(p => !WireTypeRules.IsCancellationToken(p.Type));
        if (serialized > MaxWorkerArguments)
        {
            reasons.Add($"takes {serialized} arguments, more than the {MaxWorkerArguments} a worker takes (pass a record or a tuple)");
        }

        if (method.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
        {
            reasons.Add($"is {AccessibilityName(method.DeclaredAccessibility)} (the generated dispatch table can't call it; make it internal or public)");
        }

        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                reasons.Add($"is inside {AccessibilityName(type.DeclaredAccessibility)} type '{type.Name}' (the generated dispatch table can't reach it)");
            }

            if (type.IsFileLocal)
            {
                reasons.Add($"is inside file-local type '{type.Name}' (the generated dispatch table lives in another file)");
            }

            if (type.IsGenericType)
            {
                reasons.Add($"is inside generic type '{type.Name}' (a worker process can't choose its type arguments)");
            }
        }

        return reasons;
    }

    private static bool ImplementsInterfaceMember(IMethodSymbol method)
    {
        foreach (INamedTypeSymbol @interface in method.ContainingType.AllInterfaces)
        {
            foreach (IMethodSymbol member in @interface.GetMembers(method.Name).OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string RefKindName(RefKind kind) => kind switch
    {
        RefKind.Out => "out",
        RefKind.In => "in",
        RefKind.RefReadOnlyParameter => "ref readonly",
        _ => "ref",
    };

    private static string AccessibilityName(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        _ => "private protected",
    };

    /// <summary>A flag the operation actions of one symbol set and its end action reads.</summary>
    private sealed class StrongBox
    {
        public volatile bool Value;
    }
}
