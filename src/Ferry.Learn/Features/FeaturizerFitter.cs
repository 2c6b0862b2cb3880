using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Learn.Features;

/// <summary>Chooses and fits an encoder per training column, recording what the signature needs and what was dropped.</summary>
internal sealed class FeaturizerFitter(FeaturizerOptions options)
{
    public List<ColumnEncoder> Encoders { get; } = [];

    public List<InputColumn> Inputs { get; } = [];

    public List<DroppedColumn> Dropped { get; } = [];

    public void Add(Column column, ColumnKind kind)
    {
        var rows = column.Length;
        double Rate(int missing) => rows == 0 ? 0 : (double)missing / rows;
        switch (kind)
        {
            case ColumnKind.IdLike:
                Drop(column, "id-like: a distinct value per row carries no signal that generalises");
                break;
            case ColumnKind.Image:
                Drop(column, "an image column; tabular learners cannot read it");
                break;
            case ColumnKind.Numeric:
                {
                    var numbers = ColumnValues.Numbers(column);
                    if (NumericEncoder.Fit(column.Name, numbers) is not { } numeric)
                    {
                        Drop(column, "every value is missing");
                        break;
                    }

                    var finite = numbers.Where(double.IsFinite).ToArray();
                    Use(numeric, new InputColumn(column.Name, kind, Min: finite.Min(), Max: finite.Max(), MissingRate: Rate(rows - finite.Length)));
                    break;
                }

            case ColumnKind.Categorical or ColumnKind.Boolean:
                AddCategories(column, kind, Rate(column.MissingCount));
                break;
            case ColumnKind.DateTime:
                if (DateTimeEncoder.Fit(column) is not { } date)
                {
                    Drop(column, "no value reads as a date");
                    break;
                }

                Use(date, new InputColumn(column.Name, kind, MissingRate: Rate(column.MissingCount)));
                break;
            case ColumnKind.Text:
                if (column.MissingCount == rows)
                {
                    Drop(column, "every value is missing");
                    break;
                }

                Use(new TextEncoder(column.Name, options.TextBuckets), new InputColumn(column.Name, kind, MissingRate: Rate(column.MissingCount)));
                break;
            default:
                Drop(column, $"Ferry cannot encode {kind} columns");
                break;
        }
    }

    private void AddCategories(Column column, ColumnKind kind, double missingRate)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (text, count) in ColumnValues.Counts(column))
        {
            var canonical = CategoryText.Canonical(text);
            counts[canonical] = counts.GetValueOrDefault(canonical) + count;
        }

        if (counts.Count == 0)
        {
            Drop(column, "every value is missing");
            return;
        }

        if (counts.Count > options.MaxOneHotCategories)
        {
            Use(new HashedCategoryEncoder(column.Name, options.CategoryBuckets, counts.Count), new InputColumn(column.Name, kind, MissingRate: missingRate));
            return;
        }

        List<string> categories = [.. counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key)];
        Use(new OneHotEncoder(column.Name, categories), new InputColumn(column.Name, kind, categories, MissingRate: missingRate));
    }

    private void Use(ColumnEncoder encoder, InputColumn input)
    {
        Encoders.Add(encoder);
        Inputs.Add(input);
    }

    private void Drop(Column column, string reason) => Dropped.Add(new DroppedColumn(column.Name, reason));
}
