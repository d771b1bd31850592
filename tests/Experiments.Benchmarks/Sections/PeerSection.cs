using System.Globalization;
using Experiments.Benchmarks.Measurement;
using Experiments.Benchmarks.Peer;
using Experiments.Benchmarks.Reporting;
using Experiments.Vision;
using Experiments.Vision.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Benchmarks.Sections;

/// <summary>
/// The same models trained by PyTorch itself: for each model the product's pipeline and bare loop (as in the training
/// section) and the PyTorch script's DataLoader loop and bare loop (<c>Peer/peer_train.py</c>, the model built by
/// torchvision with fastai's head), rounds interleaved, same batch, size, optimizer and thread count. A model is only
/// compared when both sides train the same number of parameters.
/// </summary>
public static class PeerSection
{
    public static void Run(RunContext context)
    {
        var options = context.Options;
        var table = new ResultTable("peer", $"Against PyTorch: the same models, batch {options.BatchSize}, AdamW, same threads, rounds interleaved",
            "model", "px", "params (product / PyTorch)", "steps × rounds", "pipeline img/s", "bare img/s", "PyTorch DataLoader img/s", "PyTorch bare img/s",
            "pipeline / DataLoader", "pipeline / DataLoader min–max", "bare / bare", "bare / bare min–max");
        var (probe, tried) = PeerPython.Find(options.Python);
        if (probe is null)
        {
            table.Note($"Skipped: no Python that imports torch was found (tried: {string.Join("; ", tried)}). {PeerPython.InstallHint}");
            context.Report.Add(table);
            return;
        }
        if (TrainingData.Train.IsSample)
        {
            table.Note($"Skipped: the PyTorch script reads Fashion-MNIST's IDX files, and the full set was not found ({TrainingData.Source}).");
            context.Report.Add(table);
            return;
        }
        int threads = get_num_threads();
        bool cuda = TorchRuntime.EnsureLoaded().CudaAvailable && probe.Cuda;
        var device = cuda ? CUDA : CPU;
        string dataFolder = TrainingData.Train.Source;
        RunReport.Progress($"peer: {probe.Describe()}; {threads} threads on {(cuda ? "CUDA" : "the CPU")}");
        var settings = LoopSettings.FromOptions(options);
        var configs = ModelConfig.Expand(options.PeerModels, [options.PeerSize]);
        using var store = new TrainingStore([.. configs.Select(c => c.Id)]);
        foreach (var config in configs)
        {
            RunReport.Progress($"peer {config.Id}");
            try
            {
                Measure(context, config, settings, store, probe, threads, device, dataFolder, table);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                RunReport.Progress($"peer {config.Id} failed: {e}");
                table.Add(config.Model, config.Size, "failed", e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" "), "", "", "", "", "", "", "", "");
            }
            context.Report.Checkpoint(table); // a long run stopped halfway keeps the models it measured
        }
        string oneDnn = TorchRuntime.EnsureLoaded().OneDnnDisabled is { } off ? $" oneDNN off on both sides ({off})." : "";
        table.Note($"PyTorch: {probe.Describe()}. Product: {context.Machine.Torch}.{oneDnn} Both with {threads} torch threads on {(cuda ? "CUDA" : "the CPU")}, "
            + $"{LoopSettings.Describe(options.ChannelsLast, options.Bf16)} on both sides (PyTorch's channels_last memory format where the product uses channels-last).");
        table.Note("pipeline and bare: the training section's loops (the Learner over ImageDataLoader with item Resize, fastai batch augmentation, ImageNet normalisation, "
            + "AdamWOptimizer fused on the CPU, one validation batch and SQLite metrics per epoch; bare: pre-made tensors). "
            + "PyTorch DataLoader: torch.utils.data.DataLoader (1 worker process, persistent, shuffled) over the same Fashion-MNIST images resized per item "
            + "(torchvision resize, antialiased), batch augmentation in torch (flip, rotate ±10°, zoom 1–1.1 and lighting 0.2 with p 0.75, through affine_grid/grid_sample; "
            + "fastai's warp left out), ImageNet normalisation (grey broadcast to 3 channels), torch.optim.AdamW with fastai's groups and settings "
            + "(β 0.9/0.99, eps 1e-5, decay 0.01 except norms and biases; the default for-loop implementation), then one validation batch and the epoch's metrics in SQLite. "
            + "PyTorch bare: the same tensors, slices, forward, cross-entropy, backward, step, zero_grad, loss.item().");
        table.Note("Models: torchvision's networks with fastai's create_head (concat pooling, BatchNorm, dropout, Linear 512, no biases); a row needs the same count of "
            + "parameters that get a gradient on both sides (the count shown; the catalog's MobileNetV3 and ConvNeXt also hold the unused parts of their reference heads). "
            + "Rounds interleaved (pipeline, bare, DataLoader, PyTorch bare, then rotated), one untimed round each first; img/s are medians; the ratios are medians of the "
            + "per-round ratios, with their lowest and highest round.");
        context.Report.Add(table);
    }

    private static void Measure(RunContext context, ModelConfig config, LoopSettings settings, TrainingStore store, PeerProbe probe,
        int threads, Device device, string dataFolder, ResultTable table)
    {
        var options = context.Options;
        long product = TrainedParameters(config);
        var (peerCount, unsupported) = PeerProcess.CountTrained(probe, config);
        if (peerCount is not long pytorch)
        {
            table.Add(config.Model, config.Size, $"{product:N0} / —", $"not built: {unsupported}", "", "", "", "", "", "", "", "");
            return;
        }
        if (pytorch != product || options.PeerCountsOnly)
        {
            table.Add(config.Model, config.Size, $"{product:N0} / {pytorch:N0}", pytorch == product ? "equal (not trained: --peer-counts)" : "skipped: the counts differ",
                "", "", "", "", "", "", "", "");
            RunReport.Progress($"peer {config.Id}: trained parameters product {product:N0}, PyTorch {pytorch:N0}");
            return;
        }
        using var bare = new BareLoop(config.Model, config.Size, options.BatchSize, settings, device);
        var (steps, stepSeconds) = TrainingSection.ChooseSteps(bare, options);
        bool channelsLast = Layout.ChannelsLastFor(config.Model, settings);
        bool oneDnnOff = TorchRuntime.EnsureLoaded().OneDnnDisabled is not null;
        var (peer, _) = PeerProcess.Start(probe, config, options.BatchSize, steps, threads, device.type == DeviceType.CUDA ? "cuda" : "cpu", channelsLast, oneDnnOff, dataFolder);
        using var peerProcess = peer ?? throw new InvalidOperationException($"The PyTorch peer could not build {config.Model} a second time.");
        RunReport.Progress($"peer {config.Id}: {product:N0} trained parameters on both sides");
        bare.UseData(TrainingData.Tensors(steps * options.BatchSize, config.Size));
        using var pipeline = new PipelineLoop(config.Model, config.Size, options.BatchSize, steps, settings, store, config.Id, device);
        var loops = new[]
        {
            new MeasuredLoop("pipeline", pipeline.Run),
            new MeasuredLoop("bare", () => bare.Run(steps)),
            new MeasuredLoop("PyTorch DataLoader", () => peer.Run("pipeline")),
            new MeasuredLoop("PyTorch bare", () => peer.Run("bare")),
        };
        int rounds = TrainingSection.RoundsFor(steps * stepSeconds, options);
        Interleaved.Run(loops, rounds, line => RunReport.Progress($"  {config.Id}: {line}"));
        var pipelineRatio = PairedRatios(loops[0], loops[2]);
        var bareRatio = PairedRatios(loops[1], loops[3]);
        table.Add(config.Model, config.Size, $"{product:N0} / {peer.TrainedParameters:N0}", $"{steps} × {rounds}",
            loops[0].ImagesPerSecond.Median, loops[1].ImagesPerSecond.Median, loops[2].ImagesPerSecond.Median, loops[3].ImagesPerSecond.Median,
            pipelineRatio.Median, Range(pipelineRatio), bareRatio.Median, Range(bareRatio));
    }

    /// <summary>Parameters of the catalog model that get a gradient from one training batch (what the optimizer trains).</summary>
    public static long TrainedParameters(ModelConfig config)
    {
        using var scope = NewDisposeScope();
        using var model = ModelCatalog.Create(config.Model, numClasses: 10, inChannels: 3);
        model.train();
        var loss = nn.functional.cross_entropy(model.call(randn(2, 3, config.Size, config.Size)), tensor(new long[] { 0, 1 }));
        loss.backward();
        return model.parameters().Where(p => p.grad is not null).Sum(p => p.numel());
    }

    private static Stats PairedRatios(MeasuredLoop a, MeasuredLoop b) =>
        Stats.Of(a.Rounds.Zip(b.Rounds, (x, y) => x.ImagesPerSecond / y.ImagesPerSecond).ToList());

    private static string Range(Stats stats) =>
        string.Create(CultureInfo.InvariantCulture, $"{stats.Min:0.00}–{stats.Max:0.00}");
}
