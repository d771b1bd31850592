namespace Experiments.Runner.Tests.Trials;

/// <summary>The one place trial ids are built and split.</summary>
public class TrialIdTests
{
    private static readonly (string Key, string Display, bool Bare)[] Parameters =
        [("arch", "resnet18", true), ("lr", "0.008", false), ("resize", "pad", true)];

    [Fact]
    public void Format_writes_key_value_pairs_bare_values_and_the_repeat()
    {
        Assert.Equal("resnet18/lr=0.008/pad#2", TrialId.Format(Parameters, 2));
        Assert.Equal("resnet18/lr=0.008/pad", TrialId.Label(Parameters));
        Assert.Equal("#1", TrialId.Format([], 1));
        Assert.Equal("/lr=0.1#1", TrialId.Format([("name", "", true), ("lr", "0.1", false)], 1));
    }

    [Theory]
    [InlineData("a/b#2", "a/b", 2)]
    [InlineData("resnet18/lr=0.008/pad#12", "resnet18/lr=0.008/pad", 12)]
    [InlineData("#1", "", 1)]
    [InlineData("a%23b#3", "a%23b", 3)]
    public void Parse_splits_at_the_last_separator(string id, string configuration, int repeat)
    {
        var trialId = TrialId.Parse(id);

        Assert.Equal(new TrialId(configuration, repeat), trialId);
        Assert.Equal(id, trialId.ToString());
        Assert.True(TrialId.TryParse(id, out var parsed));
        Assert.Equal(trialId, parsed);
        Assert.Equal(configuration, TrialId.ConfigurationIdOf(id));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a/b#")]
    [InlineData("a/b#x")]
    [InlineData("a/b#0")]
    [InlineData("a/b#-1")]
    [InlineData("a/b# 1")]
    [InlineData("")]
    public void Malformed_ids_do_not_parse(string id)
    {
        Assert.False(TrialId.TryParse(id, out _));
        var error = Assert.Throws<FormatException>(() => TrialId.Parse(id));
        Assert.Contains($"'{id}'", error.Message);
    }

    [Fact]
    public void Null_does_not_parse()
    {
        Assert.False(TrialId.TryParse(null, out _));
        Assert.Throws<ArgumentNullException>(() => TrialId.Parse(null!));
    }

    [Fact]
    public void The_configuration_of_an_id_without_a_repeat_is_the_whole_id()
        => Assert.Equal("a/b", TrialId.ConfigurationIdOf("a/b"));

    [Fact]
    public void Trials_and_store_records_take_their_configuration_from_the_id()
    {
        var experiment = new Infrastructure.TestExperiment(
            (_, _) => Task.FromResult(TrialResult.Success()),
            Infrastructure.TestExperiment.Parameter("Arch", "arch", true, "resnet18"),
            Infrastructure.TestExperiment.Parameter("LearningRate", "lr", false, "0.008"));
        var trial = experiment.Trials.Single();

        Assert.Equal("resnet18/lr=0.008#1", trial.Id);
        Assert.Equal("resnet18/lr=0.008", trial.ConfigurationId);
        var record = new Results.TrialRecord(
            "Test", trial.Id, 0, 1, [], Results.TrialStatus.Passed, 1, null, null, null, null, null, null, null, null,
            new Dictionary<string, double>());
        Assert.Equal(trial.ConfigurationId, record.ConfigurationId);
    }
}
