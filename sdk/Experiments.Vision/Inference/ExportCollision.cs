namespace Experiments.Vision.Inference;

/// <summary>What <see cref="ModelExport.Save"/> does when an export of the same name is already in the folder.</summary>
public enum ExportCollision
{
    /// <summary>
    /// The default: keep the existing export and save this one as <c>{name}_2</c>, <c>{name}_3</c>, … — a sweep that
    /// repeats a configuration keeps every model, and nothing is ever overwritten.
    /// </summary>
    AddSuffix,

    /// <summary>Refuse: an <see cref="IOException"/> names the existing file.</summary>
    Fail,

    /// <summary>Replace the existing export (each file replaced atomically).</summary>
    Overwrite,
}
