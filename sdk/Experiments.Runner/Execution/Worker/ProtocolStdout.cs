using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Experiments.Runner.Execution.Worker;

/// <summary>
/// Takes the worker's stdout for the protocol and points everything else that writes to stdout at stderr: managed
/// <see cref="Console.Out"/>, and on Unix also file descriptor 1 itself, so native code (libtorch prints warnings)
/// cannot corrupt the protocol either.
/// </summary>
internal static partial class ProtocolStdout
{
    public static Stream Take()
    {
        Stream protocol;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            var fd = Dup(1);
            if (fd < 0 || Dup2(2, 1) < 0)
            {
                protocol = Console.OpenStandardOutput();
            }
            else
            {
                protocol = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0);
            }
        }
        else
        {
            protocol = Console.OpenStandardOutput();
        }
        Console.SetOut(Console.Error);
        return protocol;
    }

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int fd, int fd2);
}
