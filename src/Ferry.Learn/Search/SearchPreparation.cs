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

        SearchSplits.CheckColumn(analysis.Table, schema, settings);
        var defaults = new List<DefaultChoice>();
        var (searchIndices, testIndices, unlabelled) = SearchSplits.Holdout(analysis.Table, schema, settings, defaults);
        if (unlabelled.Length > 0)
        {
            defaults.Add(new("rows_without_label", unlabelled.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{unlabelled.Length} rows have no value in '{schema.Label}' and were left out"));
        }

        var searchRows = analysis.Table.SelectRows(searchIndices);
        var testRows = analysis.Table.SelectRows(testIndices);
        // The group column names who a row belongs to, not what it says about the label: learning it would only
        // memorise groups, which the split keeps apart. The time column stays, as date parts (see SearchSettings.TimeColumn).
        var featureSchema = settings.GroupColumn is { } group ? schema with { Columns = [.. schema.Columns.Where(c => c.Name != group)] } : schema;
        var featurizer = Featurizer.Fit(searchRows, featureSchema);
        if (featurizer.FeatureNames.Count == 0)
        {
            var dropped = string.Join("; ", featurizer.Dropped.Select(d => $"{d.Column}: {d.Reason}"));
            throw FerryException.Invalid("NO_FEATURES", $"no column can be learned from ({dropped}); add columns that carry signal about '{schema.Label}'");
        }

        var set = TrainingSets.Create(searchRows, featureSchema, featurizer);
        var traits = set.Traits();
        if (traits.IsImbalanced)
        {
            set = set.WithBalancedWeights();
            defaults.Add(new("class_weights", "balanced",
                $"the rarest class is {traits.MinorityShare:P0} of the rows, so every class is weighted as if balanced in the loss"));
        }

        var folds = SearchSplits.Folds(settings, searchRows, schema.Task == TaskKind.Regression ? null : schema.Label, traits, defaults);
        var scaled = featurizer.WithScaling(true).Transform(searchRows);
        return new PreparedSearch(analysis, searchRows, testRows, featurizer, new SearchData(set, scaled, folds), traits, defaults);
    }
}
