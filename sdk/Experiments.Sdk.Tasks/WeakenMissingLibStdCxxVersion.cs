using Experiments.Sdk.Tasks.Elf;
using Experiments.Sdk.Tasks.LibStdCxx;
using Experiments.Sdk.Tasks.Patching;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Experiments.Sdk.Tasks;

/// <summary>
/// Makes TorchSharp's native binding load on systems whose libstdc++ predates GCC 13 (Debian 12,
/// Ubuntu 22.04): in the copies of <c>libLibTorchSharp.so</c> among <see cref="NativeFiles"/>, marks
/// the GLIBCXX_3.4.32 requirement weak — only when this system's libstdc++ lacks that version, only
/// when the symbols bound to it are known to be harmless and never relocated, and only by writing a
/// new file over the copy. Fails the build when the library needs another version the system lacks.
/// </summary>
public sealed class WeakenMissingLibStdCxxVersion : Microsoft.Build.Utilities.Task
{
    private readonly Dictionary<string, SystemLibStdCxx> _systemLibraries = new(StringComparer.Ordinal);

    /// <summary>Native files in a build or publish output; those named <see cref="LibraryFileName"/> are examined.</summary>
    [Required]
    public ITaskItem[] NativeFiles { get; set; } = [];

    public string LibraryFileName { get; set; } = "libLibTorchSharp.so";

    /// <summary>
    /// <c>auto</c> (default): act only on Linux, and only when this machine's libstdc++ lacks the version.
    /// <c>always</c>: act whatever this machine is and has (for output that will run on an older system;
    /// the safety check of the bound symbols still applies, the check for other missing versions cannot).
    /// <c>never</c>: do nothing.
    /// </summary>
    public string Mode { get; set; } = "auto";

    /// <summary>The libstdc++ whose versions count; empty = the one the loader would find.</summary>
    public string? SystemLibStdCxxPath { get; set; }

    /// <summary>The versions the system's libstdc++ defines, instead of reading one (a seam for tests).</summary>
    public string[]? SystemLibStdCxxVersions { get; set; }

    /// <summary>The libraries that were rewritten.</summary>
    [Output]
    public ITaskItem[] PatchedFiles { get; private set; } = [];

    internal WeakeningPolicy Policy { get; set; } = WeakeningPolicy.Default;

    public override bool Execute()
    {
        var mode = Mode.Trim().ToLowerInvariant();
        if (mode is not ("auto" or "always" or "never" or "" or "true" or "false"))
        {
            Log.LogError(null, DiagnosticCodes.InvalidMode, null, null, 0, 0, 0, 0,
                "ExperimentsPatchLibTorchSharp is '{0}'; use auto (default), always or never.", Mode);
            return false;
        }

        if (mode is "never" or "false")
        {
            Log.LogMessage(MessageImportance.Low, "ExperimentsPatchLibTorchSharp is '{0}': native libraries are left as they are.", Mode);
            return true;
        }

        bool forced = mode is "always" or "true";
        if (!forced && !OperatingSystem.IsLinux())
        {
            // Windows and macOS load their own TorchSharp natives; only a Linux libstdc++ can lack the version.
            Log.LogMessage(MessageImportance.Low, "Not on Linux: the native libraries need no change.");
            return true;
        }

        var patched = new List<ITaskItem>();
        foreach (var item in NativeFiles)
        {
            string path = item.GetMetadata("FullPath");
            if (!string.Equals(Path.GetFileName(path), LibraryFileName, StringComparison.Ordinal))
            {
                continue;
            }

            if (!File.Exists(path))
            {
                Log.LogMessage(MessageImportance.Low, "{0} does not exist (yet): skipped.", path);
                continue;
            }

            if (Process(path, forced))
            {
                patched.Add(new TaskItem(item));
            }
        }

        PatchedFiles = patched.ToArray();
        return !Log.HasLoggedErrors;
    }

    /// <returns>True when the file was rewritten.</returns>
    private bool Process(string path, bool forced)
    {
        byte[] bytes;
        ElfFile library;
        try
        {
            bytes = File.ReadAllBytes(path);
            library = ElfFile.Parse(bytes);
        }
        catch (ElfFormatException ex)
        {
            Error(DiagnosticCodes.UnreadableLibrary, path, "{0} cannot be read as a 64-bit little-endian ELF library: {1}.", path, ex.Message);
            return false;
        }

        if (!TryGetSystemVersions(library, path, forced, out var system, out string systemDescription))
        {
            return false;
        }

        WeakeningDecision decision;
        try
        {
            decision = WeakeningAnalyzer.Analyze(library, system, Policy);
        }
        catch (ElfFormatException ex)
        {
            Error(DiagnosticCodes.UnreadableLibrary, path, "{0} has damaged symbol-version tables: {1}.", path, ex.Message);
            return false;
        }

        switch (decision.Outcome)
        {
            case WeakeningOutcome.NoLibStdCxxRequirement:
                Log.LogMessage(MessageImportance.Low, "{0} needs no versioned symbols from {1}: unchanged.", path, Policy.LibraryFile);
                return false;

            case WeakeningOutcome.SystemHasAllVersions:
                Log.LogMessage(MessageImportance.Low, "{0}: {1} provides every version it needs: unchanged.", path, systemDescription);
                return false;

            case WeakeningOutcome.AlreadyWeak:
                Log.LogMessage(MessageImportance.Low, "{0}: the {1} requirement is already weak: unchanged.", path, Policy.AllowedVersion);
                return false;

            case WeakeningOutcome.OtherVersionsMissing:
                Error(DiagnosticCodes.OtherVersionsMissing, path,
                    "{0} needs {1} from {2}, which {3} does not provide. Only {4} can be made optional (its one symbol, "
                    + "std::ios_base_library_init(), is never called); with any other missing version the library cannot load on this system. "
                    + "Use a system with a newer libstdc++ (Ubuntu 24.04, Debian 13) or a TorchSharp build made for this one.",
                    path, string.Join(", ", decision.MissingVersions), Policy.LibraryFile, systemDescription, Policy.AllowedVersion);
                return false;

            case WeakeningOutcome.UnsafeSymbols:
                Error(DiagnosticCodes.UnsafeSymbols, path,
                    "{0} needs {1} from {2}, which {3} does not provide, and it cannot safely be made optional: {4}. "
                    + "Marking it weak would let the library load and then fail when those symbols are used. "
                    + "Use a system with a newer libstdc++ (Ubuntu 24.04, Debian 13) or a TorchSharp build made for this one.",
                    path, Policy.AllowedVersion, Policy.LibraryFile, systemDescription, string.Join("; ", decision.UnsafeSymbols));
                return false;

            case WeakeningOutcome.Weaken:
                try
                {
                    ElfFileReplacer.Replace(path, ElfFileReplacer.WithWeakRequirements(bytes, decision.ToWeaken));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Error(DiagnosticCodes.WriteFailed, path, "Could not write the patched copy of {0}: {1}", path, ex.Message);
                    return false;
                }

                Log.LogMessage(MessageImportance.High,
                    "Experiments: marked {0} weak in {1}, since {2} lacks it and the only symbol bound to it ({3}) is never called: TorchSharp's native binding loads there now.",
                    string.Join(", ", decision.ToWeaken.Select(r => r.Name)), path, systemDescription,
                    decision.BoundSymbols.Count == 0 ? "none" : string.Join(", ", decision.BoundSymbols));
                return true;

            default:
                throw new InvalidOperationException($"Unhandled outcome {decision.Outcome}.");
        }
    }

    private bool TryGetSystemVersions(ElfFile library, string path, bool forced, out IReadOnlySet<string>? versions, out string description)
    {
        versions = null;
        if (forced)
        {
            description = "the target system's libstdc++ (not examined: ExperimentsPatchLibTorchSharp=always)";
            return true;
        }

        if (SystemLibStdCxxVersions is { } given)
        {
            versions = given.ToHashSet(StringComparer.Ordinal);
            description = $"the given libstdc++ (newest {SystemLibStdCxx.NewestOf(given, "GLIBCXX_") ?? "GLIBCXX: none"})";
            return true;
        }

        var searched = new List<string>();
        string? located = string.IsNullOrEmpty(SystemLibStdCxxPath)
            ? LibStdCxxLocator.Locate(library, path, searched)
            : SystemLibStdCxxPath;
        if (located is null)
        {
            Log.LogWarning(null, DiagnosticCodes.LibStdCxxNotFound, null, path, 0, 0, 0, 0,
                "No {0} for this library's machine type was found (looked in: {1}); {2} is left unchanged.",
                Policy.LibraryFile, string.Join(", ", searched), path);
            description = "no libstdc++";
            return false;
        }

        try
        {
            if (!_systemLibraries.TryGetValue(located, out var system))
            {
                system = SystemLibStdCxx.Read(located);
                _systemLibraries[located] = system;
            }

            versions = system.Versions;
            description = $"this system's libstdc++ ({system.Path}; newest {system.NewestGlibcxx ?? "GLIBCXX: none"})";
            return true;
        }
        catch (Exception ex) when (ex is ElfFormatException or IOException or UnauthorizedAccessException)
        {
            Log.LogWarning(null, DiagnosticCodes.LibStdCxxNotFound, null, path, 0, 0, 0, 0,
                "The system's {0} ({1}) could not be read: {2}; {3} is left unchanged.", Policy.LibraryFile, located, ex.Message, path);
            description = located;
            return false;
        }
    }

    private void Error(string code, string file, string message, params object[] args) =>
        Log.LogError(null, code, null, file, 0, 0, 0, 0, message, args);
}
