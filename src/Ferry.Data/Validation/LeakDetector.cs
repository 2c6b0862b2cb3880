using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Data.Validation;

/// <summary>
/// LABEL_LEAK: a single feature that predicts the label almost perfectly, which in practice means a copy,
/// an encoding or a consequence of the label rather than a genuine predictor.
/// Classification: each feature is cut into groups (its categories when it has at most n/10 distinct values,
/// else up to min(20, n/20) quantile bins), each group predicts its majority class, and the feature is flagged
/// when that is right for at least 99% of rows while always guessing the majority class is right for under 95%.
/// Regression: flagged when |Pearson r| ≥ 0.99, or when per-category means explain ≥ 99% of the label's variance
/// for features with at most n/10 distinct values. Id-like features and tables under 30 labelled rows are skipped.
/// An exact copy of the label is flagged whatever the table's size or balance.
/// </summary>
internal static class LeakDetector
{
    /// <summary>Single-feature accuracy (or |r|, or R²) at which a feature is flagged.</summary>
    public const double Threshold = 0.99;

    /// <summary>Above this majority-class share, high accuracy is no evidence of a leak.</summary>
    public const double MaxBaseline = 0.95;

    /// <summary>Fewer labelled rows than this prove nothing.</summary>
    public const int MinRows = 30;

    /// <summary>Warnings for features that leak the label.</summary>
    public static IEnumerable<DataWarning> Find(Table table, DatasetSchema schema, LabelClasses? classes)
    {
        var label = table[schema.Label];
        var present = schema.Features.Where(f => table.IndexOf(f.Name) >= 0).ToList();
        var copies = present.Where(f => DuplicateChecks.Identical(table[f.Name], label)).Select(f => f.Name).ToList();
        var features = present
            .Where(f => f.Kind != ColumnKind.IdLike && !copies.Contains(f.Name))
            .Select(f => (table[f.Name], f.Cardinality))
            .ToList();
        var found = copies.Select(c => Leak(c, label.Name, $"column '{c}' is an exact copy of label '{label.Name}'"));
        return found.Concat(schema.Task == TaskKind.Regression
            ? Regression(label, features)
            : classes is null ? [] : Classification(label.Name, classes, features));
    }

    private static IEnumerable<DataWarning> Classification(string labelName, LabelClasses classes, List<(Column Column, int Distinct)> features)
    {
        var rows = Enumerable.Range(0, classes.ClassOf.Length).Where(r => classes.ClassOf[r] >= 0).ToArray();
        var n = rows.Length;
        if (n < MinRows)
        {
            yield break;
        }

        var baseline = (double)classes.Counts.Max() / n;
        if (baseline >= MaxBaseline)
        {
            yield break;
        }

        var labels = rows.Select(r => classes.ClassOf[r]).ToArray();
        var maxBins = Math.Max(2, Math.Min(20, n / 20));
        foreach (var (feature, distinct) in features)
        {
            var groups = FeatureGroups.Of(feature, distinct, rows, n / 10, maxBins);
            if (groups is null)
            {
                continue;
            }

            var accuracy = MajorityAccuracy(groups.Value.Group, groups.Value.Count, labels, classes.Names.Count);
            if (accuracy >= Threshold)
            {
                yield return Leak(
                    feature.Name,
                    labelName,
                    $"column '{feature.Name}' alone predicts label '{labelName}' for {accuracy:0.0%} of rows (always guessing the most common class: {baseline:0.0%}){Suspect}");
            }
        }
    }

    private static IEnumerable<DataWarning> Regression(Column label, List<(Column Column, int Distinct)> features)
    {
        if (label is not NumericColumn target)
        {
            yield break;
        }

        var rows = Enumerable.Range(0, target.Length).Where(r => double.IsFinite(target[r])).ToArray();
        var n = rows.Length;
        if (n < MinRows)
        {
            yield break;
        }

        var y = rows.Select(r => target[r]).ToArray();
        foreach (var (feature, distinct) in features)
        {
            string? evidence = null;
            if (feature is NumericColumn numeric && Pearson(numeric, rows, y) is { } r && Math.Abs(r) >= Threshold)
            {
                evidence = $"correlates with label '{label.Name}' at r = {r:0.000}";
            }
            else if (FeatureGroups.Of(feature, distinct, rows, n / 10, maxBins: 0) is { } groups
                && GroupMeanR2(groups.Group, groups.Count, y) is var r2 && r2 >= Threshold)
            {
                evidence = $"explains {r2:0.0%} of the variance of label '{label.Name}' through its per-value means";
            }

            if (evidence is not null)
            {
                yield return Leak(feature.Name, label.Name, $"column '{feature.Name}' {evidence}{Suspect}");
            }
        }
    }

    private const string Suspect = ": it almost surely leaks the answer (an encoding or a consequence of the label)";

    private static DataWarning Leak(string feature, string label, string message) => new(
        "LABEL_LEAK",
        WarningSeverity.Error,
        message,
        $"drop '{feature}' unless it is truly known before '{label}' at prediction time; a model trained on it scores well in tests and fails in production",
        [feature, label]);

    private static double MajorityAccuracy(int[] group, int groupCount, int[] labels, int classCount)
    {
        long cells = (long)groupCount * classCount;
        var correct = 0;
        if (cells <= 1 << 22)
        {
            var counts = new int[cells];
            for (var i = 0; i < group.Length; i++)
            {
                counts[(group[i] * classCount) + labels[i]]++;
            }

            for (var g = 0; g < groupCount; g++)
            {
                var best = 0;
                for (var c = 0; c < classCount; c++)
                {
                    best = Math.Max(best, counts[(g * classCount) + c]);
                }

                correct += best;
            }
        }
        else
        {
            // Many groups times many classes: count only the pairs that occur.
            var pairs = new Dictionary<long, int>();
            for (var i = 0; i < group.Length; i++)
            {
                var key = ((long)group[i] * classCount) + labels[i];
                pairs[key] = pairs.GetValueOrDefault(key) + 1;
            }

            var best = new int[groupCount];
            foreach (var (key, count) in pairs)
            {
                var g = (int)(key / classCount);
                best[g] = Math.Max(best[g], count);
            }

            correct = best.Sum();
        }

        return (double)correct / group.Length;
    }

    private static double? Pearson(NumericColumn feature, int[] rows, double[] y)
    {
        double mx = 0, my = 0;
        var k = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var x = feature[rows[i]];
            if (double.IsFinite(x))
            {
                k++;
                mx += (x - mx) / k;
                my += (y[i] - my) / k;
            }
        }

        if (k < MinRows)
        {
            return null;
        }

        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var x = feature[rows[i]];
            if (double.IsFinite(x))
            {
                sxy += (x - mx) * (y[i] - my);
                sxx += (x - mx) * (x - mx);
                syy += (y[i] - my) * (y[i] - my);
            }
        }

        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : null;
    }

    private static double GroupMeanR2(int[] group, int groupCount, double[] y)
    {
        var sums = new double[groupCount];
        var counts = new int[groupCount];
        double mean = 0;
        for (var i = 0; i < y.Length; i++)
        {
            sums[group[i]] += y[i];
            counts[group[i]]++;
            mean += (y[i] - mean) / (i + 1);
        }

        double total = 0, within = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var groupMean = sums[group[i]] / counts[group[i]];
            total += (y[i] - mean) * (y[i] - mean);
            within += (y[i] - groupMean) * (y[i] - groupMean);
        }

        return total > 0 ? 1 - (within / total) : 0;
    }
}
