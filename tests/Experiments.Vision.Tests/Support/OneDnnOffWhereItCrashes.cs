using System.Runtime.CompilerServices;

namespace Experiments.Vision.Tests.Support;

/// <summary>
/// On a CPU that hides its cache topology, LibTorch's oneDNN crashes the process (SIGFPE) for some convolution shapes
/// that these tests use (every catalog model, in eval mode): switch it off for this test process, before LibTorch loads,
/// exactly as a user would with <c>EXPERIMENTS_ONEDNN=off</c>. Elsewhere the tests run with oneDNN, as users do.
/// </summary>
internal static class OneDnnOffWhereItCrashes
{
    [ModuleInitializer]
    internal static void Apply()
    {
        if (OneDnnGuard.CacheTopologyHidden && Environment.GetEnvironmentVariable(OneDnnGuard.Variable) is null)
        {
            Environment.SetEnvironmentVariable(OneDnnGuard.Variable, "off");
        }
    }
}
