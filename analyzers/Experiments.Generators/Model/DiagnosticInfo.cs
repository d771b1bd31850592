using System.Linq;
using Microsoft.CodeAnalysis;

namespace Experiments.Generators.Model;

/// <summary>A diagnostic to report, in equatable form: descriptor, location and message arguments as text.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] arguments)
        => new(descriptor, location, arguments.Select(a => a?.ToString() ?? "null").ToEquatableArray());

    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(Descriptor, Location?.ToLocation(), Arguments.Cast<object>().ToArray());
}
