using Ferry.Data.Schema;
using Ferry.Data.Tables;

namespace Ferry.Data.Validation;

/// <summary>A classification label as dense class indexes per row, with class names and counts.</summary>
internal sealed class LabelClasses
{
    private LabelClasses(IReadOnlyList<string> names, int[] classOf, int[] counts)
    {
        Names = names;
        ClassOf = classOf;
        Counts = counts;
    }

    /// <summary>Class names in sorted order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Per row, the index into <see cref="Names"/>, or -1 when the label is missing.</summary>
    public int[] ClassOf { get; }

    /// <summary>Rows per class.</summary>
    public int[] Counts { get; }

    /// <summary>Rows with a label.</summary>
    public int Labelled => Counts.Sum();

    /// <summary>Encodes a label column.</summary>
    public static LabelClasses Encode(Column label)
    {
        var classOf = new int[label.Length];
        List<string> names;
        switch (label)
        {
            case NumericColumn numeric:
                {
                    var distinct = DoubleCounter.CountValues(numeric.Values)!.SortedValues();
                    var index = new Dictionary<double, int>();
                    foreach (var v in distinct)
                    {
                        index[v] = index.Count;
                    }

                    names = [.. distinct.Select(v => NumericColumn.Format(v)!)];
                    for (var r = 0; r < classOf.Length; r++)
                    {
                        var v = numeric[r];
                        classOf[r] = double.IsNaN(v) ? -1 : index[v == 0 ? 0 : v];
                    }

                    break;
                }

            case StringColumn text:
                {
                    var used = new bool[text.Dictionary.Count];
                    foreach (var code in text.Codes)
                    {
                        if (code != StringColumn.MissingCode)
                        {
                            used[code] = true;
                        }
                    }

                    names = ClassOrder.Sort(text.Dictionary.Where((_, code) => used[code]).Distinct(StringComparer.Ordinal));
                    var byName = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
                    var map = text.Dictionary.Select(s => byName.GetValueOrDefault(s, -1)).ToArray();
                    var codes = text.Codes;
                    for (var r = 0; r < classOf.Length; r++)
                    {
                        classOf[r] = codes[r] == StringColumn.MissingCode ? -1 : map[codes[r]];
                    }

                    break;
                }

            default:
                throw new ArgumentException($"unsupported column type {label.GetType().Name}", nameof(label));
        }

        var counts = new int[names.Count];
        foreach (var c in classOf)
        {
            if (c >= 0)
            {
                counts[c]++;
            }
        }

        return new LabelClasses(names, classOf, counts);
    }
}
