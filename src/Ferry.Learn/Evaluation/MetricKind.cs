namespace Ferry.Learn.Evaluation;

/// <summary>The metrics Ferry scores models with. <see cref="MetricCatalog"/> says which task each fits and which way is better.</summary>
public enum MetricKind
{
    /// <summary>Share of rows predicted right.</summary>
    Accuracy,

    /// <summary>Mean recall over the classes present in the labels (accuracy that every class counts in equally).</summary>
    BalancedAccuracy,

    /// <summary>Unweighted mean of the per-class F1 scores.</summary>
    MacroF1,

    /// <summary>F1 of the positive class (class index 1) of a binary task.</summary>
    F1,

    /// <summary>Mean negative log of the probability given to the true class (probabilities clipped to [1e-15, 1 - 1e-15]).</summary>
    LogLoss,

    /// <summary>Area under the ROC curve; for multiclass the macro mean of one-vs-rest areas.</summary>
    RocAuc,

    /// <summary>Average precision (area under the precision-recall curve) of the rarer class of a binary task (class 1 on a tie).</summary>
    PrAuc,

    /// <summary>Coefficient of determination: the share of the target's variance the model explains.</summary>
    R2,

    /// <summary>Root mean squared error.</summary>
    Rmse,

    /// <summary>Mean absolute error.</summary>
    Mae,
}
