using Ferry.Tracking.Client;

namespace Ferry.Learn.Search;

/// <summary>
/// A time-boxed search that ends in a model package: <see cref="AutoSearch"/> for tables, the image search in
/// Ferry.Learn.Torch for image folders. One shape, so the CLI drives either with the same live table and registration.
/// </summary>
public interface IModelSearch
{
    /// <summary>Raised with the ranked trials whenever one finishes (for a live table).</summary>
    event Action<IReadOnlyList<TrialResult>>? LeaderboardChanged;

    /// <summary>Raised when a stage starts (loading, searching, refitting, packaging).</summary>
    event Action<string>? StageChanged;

    /// <summary>Runs the search and writes the package into <paramref name="packageFolder"/> (which must not exist).</summary>
    /// <param name="settings">What to learn and how.</param>
    /// <param name="packageFolder">Where the model package goes.</param>
    /// <param name="tracker">Records the search run and a child run per trial; null to record nothing.</param>
    /// <param name="cancellationToken">Ctrl+C: stops the search, keeps finished trials and still packages the best.</param>
    Task<SearchOutcome> RunAsync(SearchSettings settings, string packageFolder, Tracker? tracker, CancellationToken cancellationToken);
}
