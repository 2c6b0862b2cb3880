using Ferry.Data.Tables;

namespace Ferry.Data.Schema;

/// <summary>
/// Infers what each column means, which column is the label and which learning task it implies.
/// Every column is scanned once (O(rows)), numbers without formatting them as text.
/// </summary>
public static class SchemaInference
{
    /// <summary>Column names taken as the label when none is given, in order of preference (case-insensitive).</summary>
    public static IReadOnlyList<string> LabelNames { get; } = ["label", "target", "class", "y"];

    // Below this many cells a parallel loop costs more than it saves.
    private const long ParallelCells = 200_000;

    /// <summary>Infers the kind of one column, with a short reason.</summary>
    /// <param name="column">The column to classify.</param>
    /// <returns>The column's schema: kind, cardinality, missing count and why.</returns>
    public static ColumnSchema InferColumn(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return ColumnKindRules.Classify(ColumnFacts.Of(column));
    }

    /// <summary>
    /// The label column's name: <paramref name="requested"/> when given, otherwise the first column called
    /// label, target, class or y (case-insensitive, in that order of preference).
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="requested">The column the user asked for, or null to find one.</param>
    /// <returns>The name of a column of <paramref name="table"/>.</returns>
    /// <exception cref="FerryException">Usage error LABEL_NOT_FOUND (the requested column is absent) or LABEL_REQUIRED (none found).</exception>
    public static string ResolveLabel(Table table, string? requested)
    {
        ArgumentNullException.ThrowIfNull(table);
        var names = table.Columns.Select(c => c.Name).ToList();
        if (requested is not null)
        {
            if (table.IndexOf(requested) >= 0)
            {
                return requested;
            }

            // A unique case-insensitive match is surely what was meant ("Label" for "label").
            var matches = names.Where(n => string.Equals(n, requested, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 1)
            {
                return matches[0];
            }

            throw FerryException.Usage(
                "LABEL_NOT_FOUND", $"no column named '{requested}': pass --label with one of the columns ({ListNames(names)})");
        }

        foreach (var candidate in LabelNames)
        {
            var match = names.FirstOrDefault(n => n == candidate)
                ?? names.FirstOrDefault(n => string.Equals(n, candidate, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }
        }

        throw FerryException.Usage("LABEL_REQUIRED", $"no label column found: pass --label COLUMN (columns: {ListNames(names)})");
    }

    /// <summary>
    /// Infers every column's kind, resolves the label and decides the task (or checks <paramref name="task"/>).
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="label">The label column, or null to find one (see <see cref="ResolveLabel"/>).</param>
    /// <param name="task">The task the user asked for, or null to infer it from the label.</param>
    /// <returns>The dataset schema.</returns>
    /// <exception cref="FerryException">
    /// Usage errors from <see cref="ResolveLabel"/>; invalid-input errors LABEL_EMPTY (no label values), LABEL_SINGLE_CLASS,
    /// LABEL_NOT_NUMERIC (regression on text), LABEL_NOT_BINARY, LABEL_TOO_MANY_CLASSES.
    /// </exception>
    public static DatasetSchema Infer(Table table, string? label, TaskKind? task = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var labelName = ResolveLabel(table, label);
        var labelIndex = table.IndexOf(labelName);
        var columns = new ColumnSchema[table.ColumnCount];
        ColumnFacts? labelFacts = null;

        // Facts hold a count table per column (tens of MB for a million distinct numbers): keep only the label's.
        void Scan(int i)
        {
            var facts = ColumnFacts.Of(table.Columns[i]);
            columns[i] = ColumnKindRules.Classify(facts);
            if (i == labelIndex)
            {
                labelFacts = facts;
            }
        }

        if ((long)table.RowCount * table.ColumnCount >= ParallelCells)
        {
            Parallel.For(0, table.ColumnCount, Scan);
        }
        else
        {
            for (var i = 0; i < table.ColumnCount; i++)
            {
                Scan(i);
            }
        }

        var (taskKind, reason, classes) = TaskRules.Decide(labelFacts!, task);
        return new DatasetSchema(columns, labelName, taskKind, reason, classes);
    }

    private static string ListNames(List<string> names)
    {
        const int shown = 30;
        var text = string.Join(", ", names.Take(shown));
        return names.Count > shown ? $"{text}, ... and {names.Count - shown} more" : text;
    }
}
