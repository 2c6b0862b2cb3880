using Ferry.Data.Schema;
using Ferry.Learn.Evaluation;

namespace Ferry.Learn.Search;

/// <summary>What one <c>ferry train</c> search is asked to do; everything but the data has a default.</summary>
public sealed record SearchSettings
{
    /// <summary>The table (CSV or Parquet) to learn from.</summary>
    public required string DataPath { get; init; }

    /// <summary>The label column; null to infer it.</summary>
    public string? Label { get; init; }

    /// <summary>The task; null to infer it from the label.</summary>
    public TaskKind? Task { get; init; }

    /// <summary>The metric to optimise; null to choose it from the task and the data.</summary>
    public MetricKind? Metric { get; init; }

    /// <summary>The whole budget: search, refit, test and packaging. Default 60 s.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Learners to search by zoo name; null for every learner that fits the task.</summary>
    public IReadOnlyList<string>? Include { get; init; }

    /// <summary>Learners to leave out.</summary>
    public IReadOnlyList<string>? Exclude { get; init; }

    /// <summary>The random seed for splits, sampling and learners.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>One trial at a time, with a fixed number of trials: the same seed gives the same leaderboard.</summary>
    public bool Deterministic { get; init; }

    /// <summary>The most trials to run; default unlimited, or 24 when deterministic.</summary>
    public int? MaxTrials { get; init; }

    /// <summary>The share of rows held out as the test set.</summary>
    public double TestShare { get; init; } = 0.2;

    /// <summary>The share of the remaining rows used for validation when not cross-validating.</summary>
    public double ValidationShare { get; init; } = 0.2;

    /// <summary>Cross-validation folds; null for 5 under 1,000 rows and a single holdout above.</summary>
    public int? Folds { get; init; }

    /// <summary>Trials run at once; null for one per core (at most 4), 1 when deterministic.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Hyperparameters fixed, ranges and choices per learner (ferry.yaml's <c>space</c>); checked against the zoo at the start.</summary>
    public IReadOnlyList<SpaceOverride>? Space { get; init; }

    /// <summary>
    /// Keep each group (rows sharing this column's value) in one of train, validation and test, and in one fold;
    /// the column is not a feature. Null for a stratified random split. Not with <see cref="TimeColumn"/>.
    /// </summary>
    public string? GroupColumn { get; init; }

    /// <summary>
    /// Split by this date/time or number column: the latest rows are the test set and validation folds chain forward
    /// (train on earlier rows, validate on later ones). The column stays a feature. Null for a random split.
    /// </summary>
    public string? TimeColumn { get; init; }

    /// <summary>Whether an ensemble of the best trials competes as one more candidate (default true).</summary>
    public bool Ensemble { get; init; } = true;
}
