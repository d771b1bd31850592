using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Experiments.Generators.Model;

/// <summary>A diagnostic to report, in equatable form: descriptor, location and message arguments as text.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    /// <summary>What the code fixes read (<see cref="Diagnostics.DiagnosticProperties"/>), as key/value pairs.</summary>
    public EquatableArray<(string Key, string Value)> Properties { get; init; } = EquatableArray<(string Key, string Value)>.Empty;

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] arguments)
        => new(descriptor, location, arguments.Select(a => a?.ToString() ?? "null").ToEquatableArray());

    public DiagnosticInfo WithProperties(params (string Key, string Value)[] properties) => this with { Properties = properties.ToEquatableArray() };

    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(Descriptor, Location?.ToLocation(),
            Properties.ToImmutableDictionary(p => p.Key, p => (string?)p.Value), Arguments.Cast<object>().ToArray());
}
