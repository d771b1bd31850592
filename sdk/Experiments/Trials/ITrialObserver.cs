namespace Experiments;

/// <summary>Receives what a running trial reports. The runner forwards it to the host process and the store.</summary>
public interface ITrialObserver
{
    void OnMetric(string name, double value, int? epoch);

    void OnProgress(double fraction, string? message);
}
