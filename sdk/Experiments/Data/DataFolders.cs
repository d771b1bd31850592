namespace Experiments.Data;

/// <summary>
/// Where downloaded data sets live: one root folder, a sub-folder per data set (<c>ROOT/fashion-mnist</c>). The root is
/// <c>$EXPERIMENTS_DATA</c> when set, else the user's data folder (<c>~/.local/share/experiments/datasets</c> on
/// Linux), so that <c>data fetch</c> writes where the data sets look first.
/// </summary>
public static class DataFolders
{
    /// <summary>The environment variable naming the root folder of downloaded data sets.</summary>
    public const string RootVariable = "EXPERIMENTS_DATA";

    /// <summary>The per-user root: <c>LocalApplicationData/experiments/datasets</c> (<c>~/.local/share/…</c> on Linux).</summary>
    public static string UserRoot => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "experiments",
        "datasets");

    /// <summary>The root of downloaded data sets: <c>$EXPERIMENTS_DATA</c> when set and not empty, else <see cref="UserRoot"/>.</summary>
    /// <param name="environment">Reads an environment variable; default <see cref="Environment.GetEnvironmentVariable(string)"/> (tests pass their own).</param>
    public static string Root(Func<string, string?>? environment = null)
    {
        string? configured = (environment ?? Environment.GetEnvironmentVariable)(RootVariable);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? UserRoot : configured);
    }
}
