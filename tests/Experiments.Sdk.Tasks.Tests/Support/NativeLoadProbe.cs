namespace Experiments.Sdk.Tasks.Tests.Support;

/// <summary>dlopens a library in a fresh process (this test assembly's own Main), away from the LibTorch this process loaded.</summary>
internal static class NativeLoadProbe
{
    /// <summary>The `dotnet` that runs these tests.</summary>
    public static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";

    public static (bool Loaded, string Output) TryLoad(string path)
    {
        string assembly = typeof(NativeLoadProbe).Assembly.Location;
        var (exitCode, output) = ChildProcess.Run(DotnetHost, "exec", assembly, "dlopen", path);
        return (exitCode == 0, output);
    }
}
