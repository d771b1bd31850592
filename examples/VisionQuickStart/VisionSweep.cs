using Experiments.Vision.Data;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;
using Experiments.Vision.Trials;

namespace VisionQuickStart;

/// <summary>
/// Which model and which resize method? 2 architectures × 2 resize methods on 2 data sets (8 trials): the procedural
/// <c>shapes</c> (circles, squares, triangles; chance is 67 % error) and the Fashion-MNIST sample that ships with the
/// library (10 classes; chance is 90 %), so nothing needs installing. Every model is trained from scratch on the CPU
/// (one-cycle, 3 epochs, 1,000 training images, validated on the data set's own test images: 200 Fashion-MNIST, 500
/// shapes) at 32 × 40 px — a rectangle, so that squish (stretch) and crop (cut the top and bottom) differ — then
/// predicted with TTA and exported. <c>dotnet build</c> checks the names against the model catalog and the data sets;
/// <c>dotnet run -- run</c> trains the 8 trials and writes reports/VisionSweep.md.
/// </summary>
[Experiment(Objective = MetricNames.ErrorRate, Goal = Goal.Minimize, ScoreConstant = 10)]
public partial class VisionSweep
{
    [Values("fashion-mnist-sample", "shapes"), KnownIn(typeof(VisionDatasets))]
    public partial string Dataset { get; }

    [Values("resnet18", "convnext_atto"), KnownIn(typeof(ModelCatalog))]
    public partial string Arch { get; }

    [Values(ResizeMethod.Squish, ResizeMethod.Crop)]
    public partial ResizeMethod Resize { get; }

    public Task<TrialResult> RunAsync(TrialContext context) => VisionTrial.RunAsync(context, new VisionTrialSettings
    {
        Dataset = Dataset, Architecture = Arch, Resize = Resize, LearningRate = 3e-3,
        Height = 32, Width = 40, Epochs = 3, BatchSize = 32, MaxItems = 1000,
        Validation = ValidationSource.TestPart,
        Tta = true, Export = true,
    });
}
