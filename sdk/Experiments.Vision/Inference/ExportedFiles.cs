namespace Experiments.Vision.Inference;

/// <summary>What <see cref="ModelExport.Save"/> wrote.</summary>
/// <param name="Name">The export's name: <c>{architecture}_{description}</c>, sanitised, with a <c>_N</c> suffix when the name was taken.</param>
/// <param name="MetadataPath">The JSON metadata (<c>{Name}.json</c>); give it to <see cref="ModelExport.Load"/>.</param>
/// <param name="WeightsPath">The weights (<c>{Name}.safetensors</c>).</param>
/// <param name="Manifest">The metadata as written.</param>
public sealed record ExportedFiles(string Name, string MetadataPath, string WeightsPath, ExportManifest Manifest);
