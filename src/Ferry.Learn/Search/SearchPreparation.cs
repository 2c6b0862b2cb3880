using Ferry.Data.Analysis;
using Ferry.Data.Schema;
using Ferry.Data.Splits;
using Ferry.Data.Tables;
using Ferry.Learn.Features;
using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>The data a search runs on, ready: the untouched test rows, the search rows featurised, the folds and the traits.</summary>
/// <param name="Analysis">The loaded data and its schema.</param>
/// <param name="SearchRows">The rows the search may see.</param>
/// <param name="TestRows">The rows held back for the final score.</param>
/// <param name="Featurizer">Fitted on the search rows, without scaling (<see cref="Featurizer.WithScaling"/> gives the scaled one).</param>
/// <param name="Data">Featurised search rows and folds.</param>
/// <param name="Traits">What the defaults are chosen from.</param>
/// <param name="Defaults">The defaults chosen so far, with reasons.</param>
internal sealed record PreparedSearch(
    DatasetAnalysis Analysis,
    Table SearchRows,
    Table TestRows,
    Featurizer Featurizer,
    SearchData Data,
    DataTraits Traits,
    List<DefaultChoice> Defaults);

/// <summary>Loads, checks and splits the data for a search; refuses data that cannot be learned, saying what to do.</summary>
internal static class SearchPreparation
{
    private const int DefaultFolds = 5;

    public static async Task<PreparedSearch> PrepareAsync(SearchSettings settings, CancellationToken cancellationToken)
    {
        var analysis = await DatasetAnalyzer.AnalyzeAsync(settings.DataPath, new AnalyzeOptions { Label = settings.Label, Task = settings.Task }, null, cancellationToken);
        if (analysis.Images is not null)
        {
            throw FerryException.Usage("TRAIN_IMAGES", $"'{settings.DataPath}' is an image folder; `ferry train` searches tables (CSV or Parquet) for now");
        }

        var schema = analysis.Schema;
        if (schema.Task != TaskKind.Regression && schema.Classes.Count < 2)
        {
            throw FerryException.Invalid("LABEL_SINGLE_CLASS",
                $"label '{schema.Label}' has only one value ({string.Join(", ", schema.Classes)}): there is nothing to learn. Choose another label with --label, or add rows of the other classes");
        }

        var classification = schema.Task != TaskKind.Regression;
        var split = Splitter.TrainValidationTest(analysis.Table, schema.Label, 0, settings.TestShare, (ulong)settings.Seed);
        var defaults = new List<DefaultChoice>();
        if (split.Excluded.Length > 0)
        {
            defaults.Add(new("rows_without_label", split.Excluded.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{split.Excluded.Length} rows have no value in '{schema.Label}' and were left out"));
        }

        var searchRows = analysis.Table.SelectRows(split.Train);
        var testRows = analysis.Table.SelectRows(split.Test);
        var featurizer = Featurizer.Fit(searchRows, schema);
        if (featurizer.FeatureNames.Count == 0)
        {
            var dropped = string.Join("; ", featurizer.Dropped.Select(d => $"{d.Column}: {d.Reason}"));
            throw FerryException.Invalid("NO_FEATURES", $"no column can be learned from ({dropped}); add columns that carry signal about '{schema.Label}'");
        }

        var set = TrainingSets.Create(searchRows, schema, featurizer);
        var traits = set.Traits();
        if (traits.IsImbalanced)
        {
            set = set.WithBalancedWeights();
            defaults.Add(new("class_weights", "balanced",
                $"the rarest class is {traits.MinorityShare:P0} of the rows, so every class is weighted as if balanced in the loss"));
        }

        var folds = Folds(settings, searchRows, classification ? schema.Label : null, traits, "rows", defaults);
        var scaled = featurizer.WithScaling(true).Transform(searchRows);
        return new PreparedSearch(analysis, searchRows, testRows, featurizer, new SearchData(set, scaled, folds), traits, defaults);
    }

    /// <summary>
    /// How trials are scored: k-fold cross-validation for small data (or when folds are asked for), else one
    /// holdout; stratified by <paramref name="stratify"/> when given. The choice is recorded with its reason.
    /// </summary>
    /// <param name="settings">The search's settings (folds, validation share, seed).</param>
    /// <param name="rows">The search rows (never the test rows).</param>
    /// <param name="stratify">The label column for classification, null for regression.</param>
    /// <param name="traits">Decides small data.</param>
    /// <param name="unit">What a row is, for the recorded reason ("rows", "images").</param>
    /// <param name="defaults">Where the choice is recorded.</param>
    internal static List<(int[] Train, int[] Validation)> Folds(SearchSettings settings, Table rows, string? stratify, DataTraits traits, string unit, List<DefaultChoice> defaults)
    {
        if (settings.Folds is null && !traits.IsSmall)
        {
            var holdout = Splitter.TrainValidationTest(rows, stratify, settings.ValidationShare, 0, (ulong)settings.Seed + 1);
            defaults.Add(new("validation", $"holdout {settings.ValidationShare:P0}", $"{traits.Rows:N0} {unit} are enough for one validation split"));
            return [(holdout.Train, holdout.Validation)];
        }

        var k = settings.Folds ?? DefaultFolds;
        if (settings.Folds is null)
        {
            defaults.Add(new("validation", $"{k}-fold cross-validation",
                $"{traits.Rows:N0} {unit} is small data (under {DataTraits.SmallDataRows:N0}): one holdout would be too noisy to rank trials, and learners are regularised more"));
        }

        return [.. Splitter.KFold(rows, k, stratify, (ulong)settings.Seed + 1).Select(f => (f.Train, f.Validation))];
    }
}
