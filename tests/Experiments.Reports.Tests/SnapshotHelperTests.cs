using Experiments.Reports.Tests.Infrastructure;

namespace Experiments.Reports.Tests;

public sealed class SnapshotHelperTests
{
    [Fact]
    public void Diff_shows_changed_lines_with_context()
    {
        var diff = Snapshot.UnifiedDiff("a\nb\nc\nd\ne\nf\ng\nh", "a\nb\nc\nD\ne\nf\ng\nh", "old", "new");

        Assert.Equal("--- old\n+++ new\n@@ -2 +2 @@\n b\n c\n-d\n+D\n e\n f\n", diff);
    }
}
