using Ferry.Data.Tables;
using Ferry.Learn;

namespace Ferry.Serving.Batching;

/// <summary>Stacks requests' tables into one batch table and cuts the batch's predictions back into per-request parts.</summary>
internal static class BatchTables
{
    /// <summary>Whether two tables have the same column names (in any order), so their rows can share one table.</summary>
    public static bool SameColumns(Table a, Table b)
    {
        if (a.ColumnCount != b.ColumnCount)
        {
            return false;
        }

        foreach (var column in a.Columns)
        {
            if (b.IndexOf(column.Name) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The rows of every table, in order, under the first table's column order.</summary>
    /// <remarks>All tables must have the same column names (see <see cref="SameColumns"/>).</remarks>
    public static Table Stack(IReadOnlyList<Table> tables)
    {
        var first = tables[0];
        var columns = new Column[first.ColumnCount];
        var parts = new Column[tables.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            var name = first.Columns[c].Name;
            for (var t = 0; t < tables.Count; t++)
            {
                parts[t] = tables[t][name];
            }

            columns[c] = Stack(name, parts);
        }

        return new Table(columns);
    }

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of <paramref name="all"/>.</summary>
    public static Predictions Slice(Predictions all, int start, int count)
    {
        if (all.Values is { } values)
        {
            var part = new double[count];
            for (var i = 0; i < count; i++)
            {
                part[i] = values[start + i];
            }

            return Predictions.ForValues(part);
        }

        var labels = new string[count];
        var probabilities = new float[count][];
        for (var i = 0; i < count; i++)
        {
            labels[i] = all.Labels![start + i];
            probabilities[i] = all.Probabilities![start + i];
        }

        return Predictions.ForClasses(all.Task, all.Classes, labels, probabilities);
    }

    private static Column Stack(string name, Column[] parts)
    {
        if (parts.All(p => p is NumericColumn))
        {
            var values = new double[parts.Sum(p => p.Length)];
            var at = 0;
            foreach (NumericColumn part in parts)
            {
                part.Values.CopyTo(values.AsSpan(at));
                at += part.Length;
            }

            return new NumericColumn(name, values);
        }

        // Text: a dictionary column stays one, and a number among texts becomes its canonical (round-trip) text, which
        // the model parses back to the same value, so a column typed differently by two callers still stacks.
        return StackText(name, parts);
    }

    private static StringColumn StackText(string name, Column[] parts)
    {
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        var dictionary = new List<string>();
        var codes = new int[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            if (part is StringColumn text)
            {
                var remap = new int[text.Dictionary.Count];
                for (var code = 0; code < remap.Length; code++)
                {
                    remap[code] = CodeOf(text.Dictionary[code], lookup, dictionary);
                }

                foreach (var code in text.Codes)
                {
                    codes[at++] = code == StringColumn.MissingCode ? StringColumn.MissingCode : remap[code];
                }

                continue;
            }

            for (var r = 0; r < part.Length; r++)
            {
                codes[at++] = part.GetText(r) is { } value ? CodeOf(value, lookup, dictionary) : StringColumn.MissingCode;
            }
        }

        return new StringColumn(name, codes, [.. dictionary]);
    }

    private static int CodeOf(string value, Dictionary<string, int> lookup, List<string> dictionary)
    {
        if (!lookup.TryGetValue(value, out var code))
        {
            code = dictionary.Count;
            lookup.Add(value, code);
            dictionary.Add(value);
        }

        return code;
    }
}
