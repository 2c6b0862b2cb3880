using Ferry.Data.Schema;
using Ferry.Learn.Training;

namespace Ferry.Learn.Evaluation;

/// <summary>A metric picked for a task, with the reason a user reads in the run's tags.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Reason">Why it was picked, in one sentence.</param>
public sealed record MetricChoice(MetricKind Metric, string Reason);

/// <summary>What Ferry knows about each metric: its name, direction, tasks, and the default for a dataset.</summary>
public static class MetricCatalog
{
    private static readonly Dictionary<MetricKind, string> Names = new()
    {
        [MetricKind.Accuracy] = "accuracy",
        [MetricKind.BalancedAccuracy] = "balanced_accuracy",
        [MetricKind.MacroF1] = "macro_f1",
        [MetricKind.F1] = "f1",
        [MetricKind.LogLoss] = "log_loss",
        [MetricKind.RocAuc] = "roc_auc",
        [MetricKind.PrAuc] = "pr_auc",
        [MetricKind.R2] = "r2",
        [MetricKind.Rmse] = "rmse",
        [MetricKind.Mae] = "mae",
    };

    /// <summary>Every metric.</summary>
    public static IReadOnlyList<MetricKind> All { get; } = Enum.GetValues<MetricKind>();

    /// <summary>The metric's name in params, tags and the CLI (snake case, for example <c>roc_auc</c>).</summary>
    public static string NameOf(MetricKind metric) => Names[metric];

    /// <summary>Whether a larger value is better (false for losses and errors).</summary>
    public static bool HigherIsBetter(MetricKind metric) => metric is not (MetricKind.LogLoss or MetricKind.Rmse or MetricKind.Mae);

    /// <summary>Whether the metric depends on a decision threshold (it scores predicted labels, not probabilities).</summary>
    public static bool UsesThreshold(MetricKind metric) =>
        metric is MetricKind.Accuracy or MetricKind.BalancedAccuracy or MetricKind.MacroF1 or MetricKind.F1;

    /// <summary>Whether the metric applies to <paramref name="task"/>.</summary>
    public static bool Supports(MetricKind metric, TaskKind task) => metric switch
    {
        MetricKind.R2 or MetricKind.Rmse or MetricKind.Mae => task == TaskKind.Regression,
        MetricKind.F1 or MetricKind.PrAuc => task == TaskKind.Binary,
        _ => task != TaskKind.Regression,
    };

    /// <summary>The metrics reported for every trial of a task, the usual headline first.</summary>
    public static IReadOnlyList<MetricKind> ReportedFor(TaskKind task) => task switch
    {
        TaskKind.Binary => [MetricKind.RocAuc, MetricKind.PrAuc, MetricKind.Accuracy, MetricKind.BalancedAccuracy, MetricKind.F1, MetricKind.MacroF1, MetricKind.LogLoss],
        TaskKind.Multiclass => [MetricKind.Accuracy, MetricKind.BalancedAccuracy, MetricKind.MacroF1, MetricKind.LogLoss, MetricKind.RocAuc],
        _ => [MetricKind.R2, MetricKind.Rmse, MetricKind.Mae],
    };

    /// <summary>Reads a metric name (case-insensitive; dashes count as underscores).</summary>
    /// <exception cref="FerryException">Usage METRIC_UNKNOWN naming the known metrics.</exception>
    public static MetricKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().Replace('-', '_');
        foreach (var (metric, text) in Names)
        {
            if (string.Equals(text, key, StringComparison.OrdinalIgnoreCase))
            {
                return metric;
            }
        }

        throw FerryException.Usage("METRIC_UNKNOWN", $"unknown metric '{name}'; use one of {string.Join(", ", Names.Values)}");
    }

    /// <summary>
    /// The metric a search optimises when the user names none: R² for regression; for imbalanced classes PR-AUC
    /// (binary) or macro-F1 (multiclass) instead of accuracy, which a model can max out by ignoring the rare class;
    /// otherwise ROC-AUC (binary) or accuracy (multiclass).
    /// </summary>
    public static MetricChoice DefaultFor(DataTraits traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        var share = $"{traits.MinorityShare * 100:0.#}%";
        return traits.Task switch
        {
            TaskKind.Regression => new(MetricKind.R2, "regression: R² (share of the target's variance explained) is the default"),
            TaskKind.Binary when traits.IsImbalanced => new(MetricKind.PrAuc, $"classes are imbalanced (the rarest is {share} of rows): PR-AUC of the rare class instead of accuracy"),
            TaskKind.Binary => new(MetricKind.RocAuc, "balanced binary classes: ROC-AUC is the default"),
            _ when traits.IsImbalanced => new(MetricKind.MacroF1, $"classes are imbalanced (the rarest is {share} of rows): macro-F1 instead of accuracy"),
            _ => new(MetricKind.Accuracy, "balanced classes: accuracy is the default"),
        };
    }

    /// <summary>Checks that a metric the user named fits the task.</summary>
    /// <exception cref="FerryException">Usage METRIC_NOT_FOR_TASK naming the metrics that do fit.</exception>
    public static void Check(MetricKind metric, TaskKind task)
    {
        if (!Supports(metric, task))
        {
            var fitting = All.Where(m => Supports(m, task)).Select(NameOf);
            throw FerryException.Usage(
                "METRIC_NOT_FOR_TASK",
                $"metric '{NameOf(metric)}' does not apply to {task.ToString().ToLowerInvariant()} tasks; use one of {string.Join(", ", fitting)}");
        }
    }
}
