using Microsoft.Testing.Extensions.TrxReport.Abstractions;

namespace Experiments.Testing;

/// <summary>Tells the TRX report that trials carry what it needs (a class name, failure messages), and whether it is on.</summary>
internal sealed class TrxCapability : ITrxReportCapability
{
    public bool IsSupported => true;

    public bool IsEnabled { get; private set; }

    public void Enable() => IsEnabled = true;
}
