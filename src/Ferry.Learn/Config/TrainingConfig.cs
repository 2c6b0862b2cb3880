namespace Ferry.Learn.Config;

/// <summary>
/// Everything <c>ferry train</c> can be told, as in <c>ferry.yaml</c>. Every setting is optional: null means
/// "let Ferry decide" (the label from the data, the task from the label, the metric from the task and the data).
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>The table (CSV or Parquet) or image folder to learn from, relative to the config file.</summary>
    public string? Data { get; init; }

    /// <summary>The label column; default: inferred from the data.</summary>
    public string? Label { get; init; }

    /// <summary><c>binary</c>, <c>multiclass</c> or <c>regression</c>; default: inferred from the label.</summary>
    public string? Task { get; init; }

    /// <summary>The metric the search optimises, for example <c>roc_auc</c>, <c>macro_f1</c>, <c>r2</c>; default: chosen per task and data.</summary>
    public string? Metric { get; init; }

    /// <summary>The search's time budget in seconds; default 60.</summary>
    public int? TimeSeconds { get; init; }

    /// <summary>Learners to search, by zoo name; default: every learner that fits the task.</summary>
    public List<string>? Include { get; init; }

    /// <summary>Learners to leave out, by zoo name.</summary>
    public List<string>? Exclude { get; init; }

    /// <summary>
    /// Per learner, hyperparameters to fix (<c>lightgbm: {learning_rate: 0.05}</c>), ranges to search
    /// (<c>lightgbm: {num_leaves: [8, 64]}</c>) or choices (<c>[16, 32, 64]</c>), overriding the zoo's; each entry
    /// remembers its line. Checked against the learners when the search starts.
    /// </summary>
    public IReadOnlyList<Search.SpaceOverride>? Space { get; init; }

    /// <summary>How rows are split into train, validation and test.</summary>
    public SplitConfig? Split { get; init; }

    /// <summary>Whether a weighted ensemble of the best trials competes as one more candidate; default true.</summary>
    public bool? Ensemble { get; init; }

    /// <summary>The random seed; default 42.</summary>
    public int? Seed { get; init; }

    /// <summary>Run trials one at a time with single-threaded learners so the same seed gives the same leaderboard.</summary>
    public bool? Deterministic { get; init; }

    /// <summary>Register the result under this model name (alias <c>challenger</c>).</summary>
    public string? Register { get; init; }
}

/// <summary>How <c>ferry train</c> splits the data.</summary>
public sealed record SplitConfig
{
    /// <summary>The share held out as the untouched test set; default 0.2.</summary>
    public double? Test { get; init; }

    /// <summary>The share of the rest used for validation when not cross-validating; default 0.2.</summary>
    public double? Validation { get; init; }

    /// <summary>Cross-validation folds; default 5 for small data (under 1,000 rows), else a single holdout.</summary>
    public int? Folds { get; init; }

    /// <summary>Keep rows of one group (for example a customer id) in the same part and fold; the column is not a feature.</summary>
    public string? Group { get; init; }

    /// <summary>
    /// Split by time on this column (dates or numbers): the latest rows are the test set and validation folds chain
    /// forward (train on earlier rows, validate on later ones). The column stays a feature (as date parts).
    /// </summary>
    public string? Time { get; init; }
}
