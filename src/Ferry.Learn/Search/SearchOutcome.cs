using Ferry.Data.Schema;
using Ferry.Learn.Evaluation;

namespace Ferry.Learn.Search;

/// <summary>A default Ferry chose for this data, and why; recorded as a tag on the search run.</summary>
/// <param name="Setting">What was decided, for example <c>metric</c> or <c>class_weights</c>.</param>
/// <param name="Value">The choice.</param>
/// <param name="Reason">Why, in a sentence a user can act on.</param>
public sealed record DefaultChoice(string Setting, string Value, string Reason);

/// <summary>What a search produced.</summary>
/// <param name="Schema">The data's schema (label, task, classes).</param>
/// <param name="DatasetHash">The content hash of the data trained on.</param>
/// <param name="Metric">The metric optimised.</param>
/// <param name="Defaults">The defaults chosen for this data, with reasons.</param>
/// <param name="Leaderboard">Every trial, ranked.</param>
/// <param name="Best">The winning trial.</param>
/// <param name="Threshold">The tuned decision threshold (binary tasks; 0.5 otherwise).</param>
/// <param name="TestMetrics">The refit model's scores on the untouched test rows, by metric name.</param>
/// <param name="PackagePath">The model package folder.</param>
/// <param name="RunId">The search run, when tracked.</param>
/// <param name="StoppedEarly">True when Ctrl+C ended the search before its budget.</param>
public sealed record SearchOutcome(
    DatasetSchema Schema,
    string DatasetHash,
    MetricKind Metric,
    IReadOnlyList<DefaultChoice> Defaults,
    IReadOnlyList<TrialResult> Leaderboard,
    TrialResult Best,
    double Threshold,
    IReadOnlyDictionary<string, double> TestMetrics,
    string PackagePath,
    string? RunId,
    bool StoppedEarly);
