using System.Globalization;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Features;

namespace Ferry.Learn.Training;

/// <summary>Builds <see cref="TrainingSet"/>s from tables and derives what the defaults need to know about them.</summary>
public static class TrainingSets
{
    /// <summary>Featurises <paramref name="table"/> and encodes its label: the training set for a learner.</summary>
    /// <exception cref="FerryException">INPUT_INVALID from the featurizer; LABEL_MISSING, LABEL_UNKNOWN_CLASS or LABEL_NOT_NUMERIC for bad labels.</exception>
    public static TrainingSet Create(Table table, DatasetSchema schema, Featurizer featurizer)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(featurizer);
        if (!table.TryGetColumn(schema.Label, out var label))
        {
            throw FerryException.Invalid("LABEL_NOT_FOUND", $"the table has no label column '{schema.Label}'");
        }

        return new TrainingSet(featurizer.Transform(table), EncodeLabels(label, schema), null, schema.Task, schema.Classes);
    }

    /// <summary>
    /// The label per row as a learner reads it: the index into <see cref="DatasetSchema.Classes"/> for classification
    /// (numbers compare by value, so "1.0" is class "1"), the value for regression.
    /// </summary>
    /// <exception cref="FerryException">LABEL_MISSING for an empty label (leave such rows out first; splits do),
    /// LABEL_UNKNOWN_CLASS for a class the schema lacks, LABEL_NOT_NUMERIC for a regression label that is not a number.</exception>
    public static float[] EncodeLabels(Column label, DatasetSchema schema)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(schema);
        var labels = new float[label.Length];
        var classIndex = schema.Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        for (var r = 0; r < labels.Length; r++)
        {
            var text = label.GetText(r)
                ?? throw FerryException.Invalid("LABEL_MISSING", $"label '{label.Name}' is empty in row {r + 1}; leave rows without a label out of training", new SourceLocation("input", r + 1, label.Name));
            if (schema.Task == TaskKind.Regression)
            {
                labels[r] = label is NumericColumn numeric ? (float)numeric[r]
                    : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? (float)value
                    : throw FerryException.Invalid("LABEL_NOT_NUMERIC", $"label '{label.Name}' holds '{text}' in row {r + 1}, which is not a number; regression needs numbers", new SourceLocation("input", r + 1, label.Name));
                continue;
            }

            labels[r] = classIndex.TryGetValue(text, out var index) || classIndex.TryGetValue(CategoryText.Canonical(text), out index)
                ? index
                : throw FerryException.Invalid("LABEL_UNKNOWN_CLASS", $"label '{label.Name}' holds '{text}' in row {r + 1}, which is not one of the classes ({string.Join(", ", schema.Classes)})", new SourceLocation("input", r + 1, label.Name));
        }

        return labels;
    }

    /// <summary>What the defaults and the search know about the set: size, classes and how rare the rarest is.</summary>
    public static DataTraits Traits(this TrainingSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var rows = set.Features.Rows;
        if (set.Task == TaskKind.Regression)
        {
            return new DataTraits(set.Task, rows, set.Features.Columns, 0, 1, rows == 0 ? null : set.Labels.Min());
        }

        var counts = new int[set.Classes.Count];
        foreach (var label in set.Labels)
        {
            counts[(int)label]++;
        }

        var minority = rows == 0 || counts.Length == 0 ? 1 : (double)counts.Min() / rows;
        return new DataTraits(set.Task, rows, set.Features.Columns, set.Classes.Count, minority);
    }

    /// <summary>The set with balanced class weights per row (see <see cref="ClassWeights.Balanced"/>); regression is returned unchanged.</summary>
    public static TrainingSet WithBalancedWeights(this TrainingSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Task == TaskKind.Regression)
        {
            return set;
        }

        return set with { Weights = ClassWeights.PerRow(set.Labels, ClassWeights.Balanced(set.Labels, set.Classes.Count)) };
    }
}
