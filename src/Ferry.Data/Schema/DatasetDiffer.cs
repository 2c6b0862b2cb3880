using System.Globalization;

namespace Ferry.Data.Schema;

/// <summary>
/// Compares two dataset versions from their schemas and profiles alone, so stored versions can be compared
/// without their rows. Column severities use these thresholds (Major / Minor):
/// PSI &gt; 0.25 / &gt; 0.1; |mean or median shift| ≥ 0.5 / ≥ 0.2 of A's standard deviation;
/// standard-deviation ratio outside [0.5, 2] / [0.8, 1.25]; missing rate changed by ≥ 10 / ≥ 1 percentage points;
/// total-variation distance of value shares &gt; 0.2 / &gt; 0.1; new values holding ≥ 5% of B's rows / any new or vanished value;
/// a changed kind, or a column that was constant and no longer is, is Major; B's range exceeding A's by more than
/// 10% of A's range is Minor.
/// </summary>
public static class DatasetDiffer
{
    /// <summary>Compares version A with version B.</summary>
    /// <param name="a">A's schema, if it has one (unlabelled data has none); kinds then come from the profiles.</param>
    /// <param name="pa">A's column profiles.</param>
    /// <param name="b">B's schema, if any.</param>
    /// <param name="pb">B's column profiles.</param>
    /// <returns>The differences; <see cref="DatasetDiff.HasChanges"/> is false for identical profiles.</returns>
    public static DatasetDiff Compare(DatasetSchema? a, IReadOnlyList<ColumnProfile> pa, DatasetSchema? b, IReadOnlyList<ColumnProfile> pb)
    {
        ArgumentNullException.ThrowIfNull(pa);
        ArgumentNullException.ThrowIfNull(pb);
        var rowsA = pa.Count > 0 ? pa[0].Count : 0;
        var rowsB = pb.Count > 0 ? pb[0].Count : 0;
        var changes = new List<SchemaChange>();
        var byNameB = pb.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var namesA = pa.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var p in pa.Where(p => !byNameB.ContainsKey(p.Name)))
        {
            changes.Add(new SchemaChange(
                SchemaChangeKind.ColumnRemoved, ChangeSeverity.Major, p.Name, KindOf(a, p).ToString(), null,
                $"column '{p.Name}' was removed; a model trained on A needs it"));
        }

        foreach (var p in pb.Where(p => !namesA.Contains(p.Name)))
        {
            changes.Add(new SchemaChange(
                SchemaChangeKind.ColumnAdded, ChangeSeverity.Minor, p.Name, null, KindOf(b, p).ToString(),
                $"column '{p.Name}' was added ({KindOf(b, p)})"));
        }

        var columns = new List<ColumnChange>();
        foreach (var pA in pa.Where(p => byNameB.ContainsKey(p.Name)))
        {
            var pB = byNameB[pA.Name];
            var kindA = KindOf(a, pA);
            var kindB = KindOf(b, pB);
            if (kindA != kindB)
            {
                changes.Add(new SchemaChange(
                    SchemaChangeKind.KindChanged, ChangeSeverity.Major, pA.Name, kindA.ToString(), kindB.ToString(),
                    $"column '{pA.Name}' changed from {kindA} to {kindB}"));
            }

            columns.Add(ColumnComparison.Compare(pA, pB, kindA != kindB));
        }

        if (a is not null && b is not null)
        {
            if (a.Label != b.Label)
            {
                changes.Add(new SchemaChange(
                    SchemaChangeKind.LabelChanged, ChangeSeverity.Major, null, a.Label, b.Label, $"the label changed from '{a.Label}' to '{b.Label}'"));
            }

            if (a.Task != b.Task)
            {
                changes.Add(new SchemaChange(
                    SchemaChangeKind.TaskChanged, ChangeSeverity.Major, null, a.Task.ToString(), b.Task.ToString(),
                    $"the task changed from {a.Task} to {b.Task} ({b.TaskReason})"));
            }
        }

        if (rowsA != rowsB)
        {
            var change = rowsA == 0 ? "" : $" ({(rowsB - rowsA) / (double)rowsA:+0.#%;-0.#%})";
            changes.Add(new SchemaChange(
                SchemaChangeKind.RowCountChanged, ChangeSeverity.Minor, null,
                rowsA.ToString(CultureInfo.InvariantCulture), rowsB.ToString(CultureInfo.InvariantCulture),
                $"rows changed from {rowsA} to {rowsB}{change}"));
        }

        return new DatasetDiff(rowsA, rowsB, changes, columns);
    }

    private static ColumnKind KindOf(DatasetSchema? schema, ColumnProfile profile) =>
        schema?.Columns.FirstOrDefault(c => c.Name == profile.Name)?.Kind ?? profile.Kind;
}
