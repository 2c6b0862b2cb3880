using Ferry.Data.Schema;
using Ferry.Learn.Search;

namespace Ferry.Learn.Training;

/// <summary>
/// One entry of the model zoo: fits a model of one family on a <see cref="TrainingSet"/>. Learners are
/// stateless and safe to use from several trials at once; everything a fit needs comes in its arguments.
/// </summary>
public interface ILearner
{
    /// <summary>The zoo name, for example <c>lightgbm</c>, <c>sdca</c>, <c>mlp</c>.</summary>
    string Name { get; }

    /// <summary>The package flavor its models are saved as (<c>mlnet</c>, <c>torch</c>).</summary>
    string Flavor { get; }

    /// <summary>Whether it wants scaled features (linear and neural models do; trees do not).</summary>
    bool NeedsScaling { get; }

    /// <summary>Whether it can solve <paramref name="task"/>.</summary>
    bool Supports(TaskKind task);

    /// <summary>The hyperparameters a search may vary, with their ranges.</summary>
    IReadOnlyList<ParameterRange> Space { get; }

    /// <summary>Known-good starting configurations for data like this (the search's portfolio), best guess first.</summary>
    IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits);

    /// <summary>Fits a model. Honours <paramref name="cancellationToken"/> between iterations where the library allows.</summary>
    Task<IFittedModel> FitAsync(TrainingSet train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken);

    /// <summary>Loads a model this learner saved with <see cref="IFittedModel.SaveAsync"/>.</summary>
    Task<IFittedModel> LoadAsync(string folder, CancellationToken cancellationToken);

    /// <summary>
    /// The runtime libraries its models need, by name, with their versions; a package records them in its
    /// training info. Empty unless the learner says.
    /// </summary>
    IReadOnlyDictionary<string, string> LibraryVersions() => new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The choices its <see cref="Portfolio"/> makes for data like this, each with the reason, so that a user sees
    /// why (a search records them as <c>ferry.default.&lt;learner&gt;.&lt;setting&gt;</c> tags). Empty unless the learner says.
    /// </summary>
    IReadOnlyList<DefaultChoice> PortfolioDefaults(DataTraits traits) => [];
}

/// <summary>A fitted model on featurised rows.</summary>
public interface IFittedModel : IDisposable
{
    /// <summary>
    /// Scores rows: for classification one probability row per input row (one column per class, summing to 1);
    /// for regression one value per row in a single-element array.
    /// </summary>
    float[][] Predict(FeatureMatrix features);

    /// <summary>Writes the model's files into <paramref name="folder"/> (which exists and is empty).</summary>
    Task SaveAsync(string folder, CancellationToken cancellationToken);
}

/// <summary>What the defaults and the search know about the data before fitting.</summary>
/// <param name="Task">The task.</param>
/// <param name="Rows">Training rows.</param>
/// <param name="Features">Featurised columns.</param>
/// <param name="ClassCount">Classes (0 for regression).</param>
/// <param name="MinorityShare">The smallest class's share of rows (1 for regression).</param>
/// <param name="LabelMinimum">The smallest regression target, when known (Poisson regression needs it non-negative); null for classification.</param>
public sealed record DataTraits(TaskKind Task, int Rows, int Features, int ClassCount, double MinorityShare, double? LabelMinimum = null)
{
    /// <summary>Below this many rows Ferry cross-validates instead of holding out, and regularises more.</summary>
    public const int SmallDataRows = 1000;

    /// <summary>
    /// Below this minority share a binary task counts as imbalanced; with k classes the bar is the same fraction
    /// (40%) of an equal share 1/k, so ten equal classes of 10% each are balanced.
    /// </summary>
    public const double ImbalancedShare = 0.2;

    /// <summary>Whether the data is small (under <see cref="SmallDataRows"/> rows).</summary>
    public bool IsSmall => Rows < SmallDataRows;

    /// <summary>Whether the classes are imbalanced.</summary>
    public bool IsImbalanced => IsImbalancedShare(Task, ClassCount, MinorityShare);

    /// <summary>Whether <paramref name="classes"/> classes whose rarest has <paramref name="minorityShare"/> of the rows count as imbalanced.</summary>
    public static bool IsImbalancedShare(TaskKind task, int classes, double minorityShare) =>
        task != TaskKind.Regression && classes >= 2 && minorityShare * classes < 2 * ImbalancedShare;
}
