using Experiments.Sdk.Tests.Infrastructure;

namespace Experiments.Sdk.Tests.EndToEnd;

/// <summary>
/// A project created outside the repository exactly as a user would — <c>&lt;Project Sdk="Experiments.Sdk/x.y.z" /&gt;</c>
/// and one declaration file — restored from the packed feed, built, and run.
/// </summary>
[Collection(PackedSdkCollection.Name)]
public sealed class UserProjectTests(PackedSdkFixture sdk, ITestOutputHelper log)
{
    [Fact]
    public void A_declaration_builds_runs_and_lists_its_trials()
    {
        var project = sdk.CreateUserProject("Sweeps", Declarations.Valid);
        log.WriteLine($"(the fixture packed the SDK and its packages once, in {sdk.PackResult!.Duration.TotalSeconds:F1} s)");

        // A user's first build is clean: no warnings from the SDK or from the packages it brings in.
        sdk.DotNet(project, log, "build", "-tl:off", "-nodeReuse:false")
            .ShouldSucceed()
            .ShouldContainLine(@"^\s*0 Warning\(s\)");
        // Restored from the fresh feed into the isolated folder, not from a cached copy.
        Assert.True(Directory.Exists(Path.Combine(sdk.PackagesDirectory, "experiments.runner", sdk.Version)));

        sdk.DotNet(project, log, "run", "--no-build", "--", "run")
            .ShouldSucceed()
            .ShouldContainLine($@"^{Declarations.ValidTrialCount} passed, 0 failed(, \d+ skipped)?$");

        var list = sdk.DotNet(project, log, "run", "--no-build", "--", "list").ShouldSucceed();
        foreach (var id in Declarations.ValidTrialIds)
        {
            list.ShouldContain(id);
        }
        list.ShouldContainLine($@"\b{Declarations.ValidTrialCount} trials\b");
    }

    [Fact]
    public void A_value_of_the_wrong_type_fails_the_build_with_EXP005_at_the_argument()
    {
        var project = sdk.CreateUserProject("Typo", Declarations.WrongValueType);

        // Line 4 is `    [Values(1, "two")] ...`; column 16 is the "two" argument.
        sdk.DotNet(project, log, "build", "-tl:off", "-nodeReuse:false")
            .ShouldFail()
            .ShouldContainLine(@"Sweep\.cs\(4,16\): error EXP005");
    }
}
