using Experiments.Results;
using Experiments.Runner.Execution.Protocol;

namespace Experiments.Runner.Tests.Execution;

public class ProtocolJsonTests
{
    [Fact]
    public void Messages_are_single_lines_with_a_type_and_round_trip()
    {
        var result = new ResultMessage(TrialStatus.Failed, new() { ["error_rate"] = 0.25 }, "boom\n  at X", 1.5);

        var line = ProtocolJson.Serialize(result);

        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("{\"type\":\"result\"", line);
        var parsed = Assert.IsType<ResultMessage>(ProtocolJson.ParseWorkerMessage(line));
        Assert.Equal(result.Status, parsed.Status);
        Assert.Equal(0.25, parsed.Metrics["error_rate"]);
        Assert.Equal(result.Error, parsed.Error);
    }

    [Fact]
    public void Host_messages_round_trip()
    {
        var line = ProtocolJson.Serialize(new RunTrialMessage("Fast", "tiny/lr=0.01#1", "cpu", "/tmp/out"));
        var run = Assert.IsType<RunTrialMessage>(ProtocolJson.ParseHostMessage(line));
        Assert.Equal("tiny/lr=0.01#1", run.TrialId);
        Assert.IsType<CancelTrialMessage>(ProtocolJson.ParseHostMessage(ProtocolJson.Serialize(new CancelTrialMessage("x"))));
    }

    [Theory]
    [InlineData(TrialStatus.Passed, "Passed")]
    [InlineData(TrialStatus.Failed, "Failed")]
    [InlineData(TrialStatus.Interrupted, "Interrupted")]
    [InlineData(TrialStatus.Pending, "Pending")]
    public void A_result_carries_the_stores_status_by_name(TrialStatus status, string name)
    {
        var line = ProtocolJson.Serialize(new ResultMessage(status, new(), null, 0));

        Assert.Contains($"\"status\":\"{name}\"", line);
        Assert.Equal(status, Assert.IsType<ResultMessage>(ProtocolJson.ParseWorkerMessage(line)).Status);
    }

    [Theory]
    [InlineData("training epoch 1")]
    [InlineData("{not json")]
    [InlineData("{\"type\":\"unknown\"}")]
    [InlineData("")]
    public void Stray_output_is_not_mistaken_for_a_message(string line)
        => Assert.Null(ProtocolJson.ParseWorkerMessage(line));
}
