namespace Experiments.Vision.Transforms;

/// <summary>How pixels outside an image are filled (fastai's <c>PadMode</c>).</summary>
public enum PadMode
{
    /// <summary>Zero in every channel (black bars).</summary>
    Zeros,

    /// <summary>The image mirrored about its edge pixels, which are not repeated (<c>d c b | a b c d | c b a</c>).</summary>
    Reflection,

    /// <summary>The edge pixel repeated (<c>a a a | a b c d | d d d</c>).</summary>
    Border,
}
