namespace Ferry.Tracking.Client;

/// <summary>How a <see cref="Tracker"/> names and buffers what it logs.</summary>
public sealed record TrackerOptions
{
    /// <summary>How often buffered entries are written when fewer than a batch are waiting. Default 1 second.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The user recorded on runs (<c>mlflow.user</c>). Default: the OS user name.</summary>
    public string? UserId { get; init; }

    /// <summary>The source recorded on runs (<c>mlflow.source.name</c>). Default: the entry assembly's name.</summary>
    public string? SourceName { get; init; }

    /// <summary>The git commit recorded on runs (<c>mlflow.source.git.commit</c>), if known.</summary>
    public string? GitCommit { get; init; }
}
