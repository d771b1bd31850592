namespace Experiments.Data;

/// <summary>
/// A data set that can be found on this machine and downloaded: what <c>data list</c> and <c>data fetch NAME</c> in an
/// experiment project work with. A library declares its sources with <see cref="DatasetSourceAttribute"/>, so the
/// runner finds them without referencing the library.
/// </summary>
public interface IDatasetSource
{
    /// <summary>The name typed on the command line, e.g. <c>fashion-mnist</c>.</summary>
    string Name { get; }

    /// <summary>One line on what the data set is.</summary>
    string Description { get; }

    /// <summary>The base URL the <see cref="Files"/> are downloaded from (a mirror can replace it).</summary>
    Uri DownloadUrl { get; }

    /// <summary>The files a download fetches, with what each must hold.</summary>
    IReadOnlyList<DownloadFile> Files { get; }

    /// <summary>Where a download goes by default: the first folder <see cref="Locate"/> looks in.</summary>
    string DefaultDestination { get; }

    /// <summary>Looks for the data set where its library would look when opening it.</summary>
    DatasetLookup Locate();
}

/// <summary>Where a data set was looked for, and the folder it was found in (null when nowhere).</summary>
/// <param name="Folder">The folder the data set would be read from, or null.</param>
/// <param name="Searched">Every folder looked at, in order.</param>
public sealed record DatasetLookup(string? Folder, IReadOnlyList<string> Searched)
{
    public bool Found => Folder is not null;
}
