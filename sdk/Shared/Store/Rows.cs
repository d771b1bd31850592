using System.Data.Common;
using Experiments.Results;

namespace Experiments.Store;

/// <summary>Reading stored trials back, the same for both stores: the queries select these columns in this order.</summary>
internal static class Rows
{
    /// <summary>The columns <see cref="ReadTrials"/> reads, in order.</summary>
    public const string TrialColumns =
        "trial_id, idx, repeat, parameters, status, attempt, worker, started_at, finished_at, duration_s, error, build_id, source_revision, device";

    private static readonly IReadOnlyDictionary<string, double> NoMetrics = new Dictionary<string, double>();

    /// <summary>Final metrics from rows of <c>trial_id, name, value</c>, per trial in the order read.</summary>
    public static Dictionary<string, Dictionary<string, double>> ReadMetrics(DbDataReader reader)
    {
        var metrics = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var trialId = reader.GetString(0);
            if (!metrics.TryGetValue(trialId, out var values))
            {
                metrics[trialId] = values = new Dictionary<string, double>(StringComparer.Ordinal);
            }
            values[reader.GetString(1)] = reader.ReadReal(2);
        }
        return metrics;
    }

    /// <summary>Every row of <see cref="TrialColumns"/> as a record, with its metrics from <see cref="ReadMetrics"/>.</summary>
    public static List<TrialRecord> ReadTrials(DbDataReader reader, string experiment, Dictionary<string, Dictionary<string, double>> metrics)
    {
        var trials = new List<TrialRecord>();
        while (reader.Read())
        {
            var trialId = reader.GetString(0);
            trials.Add(new TrialRecord(
                experiment,
                trialId,
                reader.GetInt32(1),
                reader.GetInt32(2),
                Json.ReadParameters(reader.GetString(3)),
                Columns.ToStatus(reader.GetString(4)),
                reader.GetInt32(5),
                reader.ReadText(6),
                Columns.ToTime(reader.ReadLong(7)),
                Columns.ToTime(reader.ReadLong(8)),
                reader.IsDBNull(9) ? null : reader.GetDouble(9),
                reader.ReadText(10),
                reader.ReadText(11),
                reader.ReadText(12),
                reader.ReadText(13),
                metrics.TryGetValue(trialId, out var values) ? values : NoMetrics));
        }
        return trials;
    }
}
