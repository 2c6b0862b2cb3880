namespace Ferry.Serving.Sources;

/// <summary>
/// Says which models and versions the server should hold, and where each version's package is. Reading is cheap and
/// stateless (the manager polls it); locating may download. Two sources exist: the registry and a model folder.
/// </summary>
public abstract class ModelSource
{
    /// <summary>Where the source reads from, for logs and errors.</summary>
    public abstract string Description { get; }

    /// <summary>The complete wanted state: one target per model to serve.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public abstract Task<IReadOnlyList<ModelTarget>> ReadTargetsAsync(CancellationToken cancellationToken);

    /// <summary>A local path of the version's package (a folder or zip), fetched first when it is remote.</summary>
    /// <param name="id">The version.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    public abstract Task<string> LocateAsync(ServableId id, CancellationToken cancellationToken);
}
