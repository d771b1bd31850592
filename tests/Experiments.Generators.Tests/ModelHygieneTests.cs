using System.Collections.Immutable;
using System.Reflection;
using Experiments.Generators.Model;
using Experiments.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Experiments.Generators.Tests;

/// <summary>
/// What flows between pipeline steps must compare by value and must not hold compiler objects (symbols, syntax,
/// locations, semantic models, compilations): those pin old compilations in memory and defeat caching. Checked by
/// reflection over every field reachable from the step outputs, as dotnet/runtime's generator tests do.
/// </summary>
public sealed class ModelHygieneTests
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SyntaxToken), typeof(SyntaxReference), typeof(Location),
        typeof(SemanticModel), typeof(Compilation), typeof(AttributeData), typeof(TypedConstant), typeof(SourceText),
    };

    /// <summary>Compiler types that are plain values and may appear in models.</summary>
    private static readonly Type[] AllowedCompilerTypes = { typeof(DiagnosticDescriptor), typeof(TextSpan), typeof(LinePositionSpan), typeof(LinePosition) };

    private static readonly Assembly Generator = typeof(ExperimentGenerator).Assembly;

    /// <summary>The types the pipeline's steps produce (and all model types, for good measure).</summary>
    public static TheoryData<string> Roots()
    {
        var data = new TheoryData<string>();
        foreach (var type in new[] { typeof(ParseResult), typeof(ExperimentModel), typeof(ParameterModel), typeof(PairRule), typeof(ExpandedExperiment),
                     typeof(DiagnosticInfo), typeof(LocationInfo), typeof(EquatableArray<string>), typeof(BuildOptions), Generator.GetType("Experiments.Generators.CatalogEntry", true)! }
                     .Concat(Generator.GetTypes().Where(t => t.Namespace == "Experiments.Generators.Model" && !t.IsAbstract && !t.IsGenericTypeDefinition && t.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null))
                     .Distinct())
        {
            data.Add(type.FullName!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Roots))]
    public void Models_hold_no_compiler_objects_and_compare_by_value(string typeName)
    {
        var root = Generator.GetType(typeName, throwOnError: false) ?? Type.GetType(typeName, throwOnError: true)!;
        var problems = new List<string>();
        Walk(root, root.Name, new HashSet<Type>(), problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Step_outputs_of_a_real_run_are_model_types()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(GeneratorHarness.Parse(Declarations.FineTune)));
        var problems = new List<string>();
        var ours = new[] { TrackingNames.BuildOptions, TrackingNames.Declarations, TrackingNames.Models, TrackingNames.Expanded, TrackingNames.Catalog };
        Assert.All(ours, step => Assert.Contains(step, result.Generator.TrackedSteps.Keys));
        foreach (var (step, runs) in result.Generator.TrackedSteps.Where(s => ours.Contains(s.Key)))
        {
            foreach (var output in runs.SelectMany(r => r.Outputs))
            {
                Walk(output.Value.GetType(), step, new HashSet<Type>(), problems);
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Equal_declarations_give_equal_models()
    {
        // Two separate parses of the same text produce equal (not identical) step outputs: value equality works.
        var first = GeneratorHarness.Run(Declarations.FineTune).Generator.TrackedSteps[TrackingNames.Expanded].Single().Outputs.Single().Value;
        var second = GeneratorHarness.Run(Declarations.FineTune).Generator.TrackedSteps[TrackingNames.Expanded].Single().Outputs.Single().Value;
        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    private static void Walk(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        if (Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is { } forbidden)
        {
            problems.Add($"{path}: {type.Name} is a {forbidden.Name}");
            return;
        }
        if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(object) && path.EndsWith("Value", StringComparison.Ordinal))
        {
            return;
        }
        if (AllowedCompilerTypes.Contains(type))
        {
            return;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(ValueTuple<,>) || definition == typeof(ImmutableArray<>) && path.StartsWith(TrackingNames.Catalog, StringComparison.Ordinal) || definition == typeof(Nullable<>)))
        {
            // Roslyn's own Combine/Collect wrappers compare their parts element-wise.
            foreach (var argument in type.GetGenericArguments())
            {
                Walk(argument, $"{path}<{argument.Name}>", seen, problems);
            }
            return;
        }
        if (type.Assembly != Generator)
        {
            problems.Add($"{path}: {type.FullName} is neither a model type nor a plain value");
            return;
        }
        var equatable = typeof(IEquatable<>).MakeGenericType(type);
        if (!equatable.IsAssignableFrom(type))
        {
            problems.Add($"{path}: {type.Name} does not implement IEquatable<{type.Name}>");
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            var fieldType = field.FieldType;
            if (fieldType.IsArray)
            {
                // Arrays compare by reference: only EquatableArray may hold one.
                if (!(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>)))
                {
                    problems.Add($"{path}.{field.Name}: an array outside EquatableArray compares by reference");
                }
                fieldType = fieldType.GetElementType()!;
            }
            else if (fieldType.IsGenericType && fieldType.Assembly != Generator && fieldType.GetGenericTypeDefinition() != typeof(Nullable<>))
            {
                problems.Add($"{path}.{field.Name}: {fieldType.Name} (use EquatableArray)");
                continue;
            }
            Walk(fieldType, $"{path}.{field.Name}", seen, problems);
        }
    }
}
