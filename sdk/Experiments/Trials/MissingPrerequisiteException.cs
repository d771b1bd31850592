namespace Experiments;

/// <summary>
/// A trial cannot start because something outside it is missing — a data set that is not installed, weights that are
/// not there — not because of anything the trial's configuration did. The runner treats it as an environment problem,
/// not a failed trial: it puts the trial back to pending, stops the sweep before any other trial starts, and prints the
/// message once (so say there how to get what is missing). Throw it before any training work.
/// </summary>
public class MissingPrerequisiteException : Exception
{
    public MissingPrerequisiteException(string message)
        : base(message)
    {
    }

    public MissingPrerequisiteException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
