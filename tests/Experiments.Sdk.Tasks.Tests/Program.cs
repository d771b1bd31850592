using System.Runtime.InteropServices;

namespace Experiments.Sdk.Tasks.Tests;

/// <summary>
/// Entry point when the test assembly runs as a child process (see <see cref="Support.NativeLoadProbe"/>):
/// <c>dlopen PATH</c> loads a native library in a fresh process and reports the loader's answer.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["dlopen", var path])
        {
            try
            {
                NativeLibrary.Load(path);
                Console.WriteLine("loaded");
                return 0;
            }
            catch (DllNotFoundException ex)
            {
                Console.WriteLine(ex.Message);
                return 1;
            }
        }

        Console.Error.WriteLine("usage: Experiments.Sdk.Tasks.Tests dlopen PATH");
        return 2;
    }
}
