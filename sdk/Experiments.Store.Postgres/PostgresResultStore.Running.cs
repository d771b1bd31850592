using System.Data;
using Experiments.Results;
using Experiments.Store;

namespace Experiments.Store.Postgres;

// Who runs what across the cluster: the claimers and heartbeats of running trials, for `list`.
public sealed partial class PostgresResultStore : IRunningTrials
{
    public IReadOnlyList<RunningTrial> GetRunning(string experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Use(idempotent: true, (connection, transaction) =>
        {
            using var command = connection.Command(transaction, """
                SELECT trial_id, attempt, worker, started_at, heartbeat_at FROM trials
                WHERE experiment = @experiment AND status = 'running'
                ORDER BY idx, trial_id COLLATE "C"
                """, ("@experiment", experiment));
            using var reader = command.ExecuteReader();
            var running = new List<RunningTrial>();
            while (reader.Read())
            {
                running.Add(new RunningTrial(reader.GetString(0), reader.GetInt32(1), WorkerIdentity.Parse(reader.ReadText(2)),
                    Columns.ToTime(reader.ReadLong(3)), Columns.ToTime(reader.ReadLong(4))));
            }
            return (IReadOnlyList<RunningTrial>)running;
        }, IsolationLevel.ReadCommitted);
    }
}
