using System.Security.Cryptography;
using System.Text;

namespace Experiments.Runner.Tests;

/// <summary>Experiment names and trial ids as folder names: one contained segment, unique per name, stable.</summary>
public class FileNamesTests
{
    private static string HashOf(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12];

    [Theory]
    [InlineData("Fast")]
    [InlineData("lr=0.1#2")]
    [InlineData("members=3#1")]
    [InlineData("a b.c-d_e")]
    [InlineData("écrit")]
    [InlineData("...a")]
    public void A_name_that_is_already_a_safe_segment_stays_as_it_is(string name)
        => Assert.Equal(name, FileNames.Safe(name));

    [Theory]
    [InlineData("resnet18/lr=0.1#2", "resnet18_lr=0.1#2")]
    [InlineData(@"a\b", "a_b")]
    [InlineData("a|b", "a_b")]
    [InlineData("a:b*?\"<>", "a_b_____")]
    [InlineData("tab\there", "tab_here")]
    [InlineData("", "_")]
    [InlineData(".", "_")]
    [InlineData("..", "__")]
    [InlineData("...", "___")]
    public void A_name_that_sanitising_changes_gets_the_hash_of_the_original(string name, string readable)
        => Assert.Equal($"{readable}~{HashOf(name)}", FileNames.Safe(name));

    [Fact]
    public void Names_that_sanitise_alike_get_different_folders()
    {
        string[] names = [@"a\b#1", "a|b#1", "a:b#1", "a/b#1", "a_b#1", "a?b#1", "a\nb#1"];
        var safe = names.Select(FileNames.Safe).ToList();
        Assert.Equal(names.Length, safe.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("a_b#1", safe[4]);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../../etc")]
    [InlineData("/abs/path")]
    [InlineData(@"..\..\up")]
    [InlineData("a/../../b")]
    [InlineData("")]
    public void Every_name_stays_one_folder_inside_its_parent(string name)
    {
        var parent = Path.Combine(Path.GetTempPath(), "artifacts");
        var safe = FileNames.Safe(name);
        var path = Path.GetFullPath(Path.Combine(parent, safe));

        Assert.Equal(parent, Path.GetDirectoryName(path));
        Assert.NotEqual(parent, path);
        Assert.DoesNotContain('/', safe);
        Assert.DoesNotContain('\\', safe);
        Assert.NotEqual(".", safe);
        Assert.NotEqual("..", safe);
    }

    [Fact]
    public void A_long_name_is_cut_in_whole_characters_and_fits_a_file_name()
    {
        var longId = string.Join('/', Enumerable.Range(0, 20).Select(i => $"parameter{i}=" + new string('x', 20))) + "#1";
        var wide = new string('é', 200) + "😀" + "#1";
        var fitting = new string('k', 255);
        var tooLong = new string('k', 256);

        foreach (var name in new[] { longId, wide, tooLong })
        {
            var safe = FileNames.Safe(name);
            Assert.True(Encoding.UTF8.GetByteCount(safe) <= 255, safe);
            Assert.EndsWith("~" + HashOf(name), safe);
            // No half character: the UTF-8 round-trips.
            Assert.Equal(safe, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(safe)));
        }
        Assert.Equal(fitting, FileNames.Safe(fitting));
        Assert.NotEqual(FileNames.Safe(tooLong), FileNames.Safe(tooLong + "k"));
    }

    [Fact]
    public void Folder_names_are_the_same_on_every_run()
    {
        // Fixed by SHA-256 of the UTF-8, not by the process: artifacts of an earlier run are found again.
        Assert.Equal("resnet18_lr=0.1#2~" + HashOf("resnet18/lr=0.1#2"), FileNames.Safe("resnet18/lr=0.1#2"));
        Assert.Equal(FileNames.Safe("a|b#1"), FileNames.Safe("a|b#1"));
    }

    [Fact]
    public void Lone_surrogates_are_replaced_and_kept_apart()
    {
        var first = FileNames.Safe("a\uD800b");
        var second = FileNames.Safe("a\uD801b");
        Assert.StartsWith("a_b~", first);
        Assert.NotEqual(first, second);
        Assert.Equal("😀", FileNames.Safe("😀"));
    }
}
