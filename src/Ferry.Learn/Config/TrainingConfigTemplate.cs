namespace Ferry.Learn.Config;

/// <summary>The commented <c>ferry.yaml</c> that <c>ferry init</c> writes: every setting shown with its default, commented out.</summary>
public static class TrainingConfigTemplate
{
    /// <summary>The template for a data file (a path relative to the config), or with a placeholder when none is given.</summary>
    public static string For(string? data, string? label) => $"""
        # ferry.yaml: what `ferry train -c ferry.yaml` does. Every setting has a default; delete what you do not need.

        # The table (CSV or Parquet) or image folder to learn from, relative to this file.
        data: {data ?? "data.csv"}

        # The column to predict. Default: inferred (a column named label/target/class/y, else the last column).
        {(label is null ? "# label: target" : $"label: {label}")}

        # binary | multiclass | regression. Default: inferred from the label's values.
        # task: binary

        # The metric the search maximises (or minimises, for errors). Default: roc_auc for balanced binary tasks,
        # pr_auc for imbalanced binary, accuracy for balanced multiclass, macro_f1 for imbalanced multiclass, r2 for regression.
        # Others: balanced_accuracy, log_loss, rmse, mae.
        # metric: roc_auc

        # The search's time budget in seconds (refit and packaging included).
        # time_seconds: 60

        # Learners to search (default: all that fit the task): lightgbm, fasttree, fastforest, sdca, lbfgs, ridge (regression), mlp.
        # include: [lightgbm, sdca]
        # exclude: [mlp]

        # Hyperparameters per learner: a value fixes it in every configuration tried (the portfolio too), a [min, max]
        # pair of numbers searches that range instead of the zoo's, any other list gives the choices to search.
        # Names and valid values are checked against each learner when the search starts.
        # space:
        #   lightgbm:
        #     learning_rate: [0.01, 0.3]
        #     num_leaves: 31
        #   fastforest:
        #     trees: [100, 200, 400]

        # How rows are split. The test share is never seen by the search; it scores the final model once.
        # split:
        #   test: 0.2          # share held out for the final score
        #   validation: 0.2    # share of the rest for validation (when not cross-validating)
        #   folds: 5           # cross-validation folds (default: 5 under 1,000 rows, else one holdout)
        #   group: customer_id # keep each group's rows in one part and one fold; the column is not a feature
        # Or split by time (not both): the latest rows by this column are the test set, and validation trains on
        # earlier rows and scores later ones. The column stays a feature, as date parts.
        #   # time: date

        # After the search, a weighted average of the best trials (greedy ensemble selection) competes as one more
        # candidate; if it wins, its members are refit and packaged together. false (or --no-ensemble) turns it off.
        # ensemble: true

        # seed: 42
        # deterministic: false   # true: one trial at a time, single-threaded, same seed = same leaderboard
        # register: churn        # register the result as a new version of this model, alias challenger

        """;
}
