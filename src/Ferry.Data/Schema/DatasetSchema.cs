namespace Ferry.Data.Schema;

/// <summary>The inferred meaning of one column.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Kind">What the column means.</param>
/// <param name="Cardinality">How many distinct non-missing values it has.</param>
/// <param name="MissingCount">How many rows hold no value.</param>
/// <param name="Reason">Why this kind was chosen, in one short phrase.</param>
public sealed record ColumnSchema(string Name, ColumnKind Kind, int Cardinality, int MissingCount, string Reason);

/// <summary>The schema of a labelled table: its columns, the label and the task it implies.</summary>
/// <param name="Columns">Every column, label included, in source order.</param>
/// <param name="Label">The label column name.</param>
/// <param name="Task">The task the label implies.</param>
/// <param name="TaskReason">Why that task, in one sentence, for example "label 'y' has 2 distinct values".</param>
/// <param name="Classes">The class labels in sorted order (empty for regression).</param>
public sealed record DatasetSchema(
    IReadOnlyList<ColumnSchema> Columns,
    string Label,
    TaskKind Task,
    string TaskReason,
    IReadOnlyList<string> Classes)
{
    /// <summary>The schema of the label column.</summary>
    public ColumnSchema LabelColumn => Columns.First(c => c.Name == Label);

    /// <summary>Every column but the label.</summary>
    public IEnumerable<ColumnSchema> Features => Columns.Where(c => c.Name != Label);
}
