using System.Text;
using Experiments.Runner.Execution.Protocol;

namespace Experiments.Runner.Execution.Worker;

/// <summary>The worker's side of the protocol: thread-safe line writes to the host, one flush per message.</summary>
internal sealed class WorkerChannel
{
    private readonly StreamWriter _writer;
    private readonly object _gate = new();

    public WorkerChannel(Stream output)
    {
        _writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
    }

    /// <summary>Set when the host stopped reading (it died): the worker then has nobody to work for.</summary>
    public bool IsBroken { get; private set; }

    public void Send(WorkerMessage message)
    {
        var line = ProtocolJson.Serialize(message);
        lock (_gate)
        {
            if (IsBroken)
            {
                return;
            }
            try
            {
                _writer.WriteLine(line);
                _writer.Flush();
            }
            catch (IOException)
            {
                IsBroken = true;
            }
            catch (ObjectDisposedException)
            {
                IsBroken = true;
            }
        }
    }
}
