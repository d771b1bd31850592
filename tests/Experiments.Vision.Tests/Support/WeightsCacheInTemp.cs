using System.Runtime.CompilerServices;
using Experiments.Vision.Pretrained;

namespace Experiments.Vision.Tests.Support;

/// <summary>
/// Trials on a name with weights (<c>resnet20.cntk_in1k</c>) convert them into the user's cache on first use: in this
/// test process, into a folder of its own (<c>EXPERIMENTS_WEIGHTS</c>, as a user would set it), so that tests neither
/// write into the home folder nor pass because of a file an earlier run left there.
/// </summary>
internal static class WeightsCacheInTemp
{
    [ModuleInitializer]
    internal static void Apply()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"experiments-vision-tests-weights-{Environment.ProcessId}");
        Environment.SetEnvironmentVariable(PretrainedWeights.CacheVariable, folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
    }
}
