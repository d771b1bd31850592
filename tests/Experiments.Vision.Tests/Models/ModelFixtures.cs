using Experiments.Vision.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Models;

/// <summary>Where the reference key lists are, and helpers shared by the model tests.</summary>
internal static class ModelFixtures
{
    private static readonly Lazy<string> Reference = new(() =>
    {
        // The tests run from bin/<configuration>/<tfm>/ of a clone: walk up to this folder's Reference/.
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "tests", "Experiments.Vision.Tests", "Models", "Reference");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"tests/Experiments.Vision.Tests/Models/Reference not found above {AppContext.BaseDirectory}");
    });

    /// <summary>The folder of the reference key lists (<c>NAME.keys.txt</c>, written by make_reference.py).</summary>
    public static string ReferenceFolder => Reference.Value;

    /// <summary>Every catalog name, for theories.</summary>
    public static TheoryData<string> AllModelNames()
    {
        var data = new TheoryData<string>();
        foreach (var model in ModelCatalog.All)
        {
            data.Add(model.Name);
        }
        return data;
    }

    /// <summary>Reads a key list: key → shape, without the comment lines.</summary>
    public static Dictionary<string, long[]> ReadKeyList(string modelName)
    {
        var keys = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(ReferenceFolder, modelName + ".keys.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var parts = line.Split('\t');
            keys.Add(parts[0], parts[1].Length == 0 ? [] : parts[1].Split(',').Select(long.Parse).ToArray());
        }
        return keys;
    }

    /// <summary>Same shape and bit-identical values (TorchSharp's <c>Tensor.equal</c> is element-wise).</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
    }

    /// <summary>State-dict keys and shapes of a module.</summary>
    public static Dictionary<string, long[]> Shapes(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal);

    /// <summary>Lines "key [shape]" of the keys that differ between two key lists, for readable assertion failures.</summary>
    public static List<string> Differences(IReadOnlyDictionary<string, long[]> expected, IReadOnlyDictionary<string, long[]> actual)
    {
        var lines = new List<string>();
        foreach (var (key, shape) in expected.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(key, out var other))
            {
                lines.Add($"missing {key} [{string.Join(",", shape)}]");
            }
            else if (!shape.SequenceEqual(other))
            {
                lines.Add($"shape of {key}: expected [{string.Join(",", shape)}], got [{string.Join(",", other)}]");
            }
        }
        foreach (var key in actual.Keys.Where(k => !expected.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal))
        {
            lines.Add($"unexpected {key} [{string.Join(",", actual[key])}]");
        }
        return lines;
    }
}
