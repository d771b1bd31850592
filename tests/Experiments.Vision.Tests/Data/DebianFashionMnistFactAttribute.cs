using Experiments.Vision.Data;

namespace Experiments.Vision.Tests.Data;

/// <summary>A fact that runs only where Debian's dataset-fashion-mnist is installed, and says so when skipped.</summary>
internal sealed class DebianFashionMnistFactAttribute : FactAttribute
{
    public DebianFashionMnistFactAttribute()
    {
        if (!DataFixtures.DebianFashionMnistInstalled)
        {
            Skip = $"Debian package dataset-fashion-mnist is not installed (no IDX files in {FashionMnistDataset.DefaultFolder}); "
                + "`apt-get install dataset-fashion-mnist` to run this check (CI installs it).";
        }
    }
}
