namespace Experiments.Store.Tests.Infrastructure;

/// <summary>A clock the test moves by hand, so heartbeats and sweeps are deterministic.</summary>
public sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
