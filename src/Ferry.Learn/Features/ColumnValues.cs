using System.Globalization;
using Ferry.Data.Tables;

namespace Ferry.Learn.Features;

/// <summary>Reads a column row by row through a mapping, mapping each distinct text of a dictionary column once.</summary>
internal static class ColumnValues
{
    /// <summary>
    /// One result per row: <paramref name="missing"/> where the row is empty, otherwise <paramref name="map"/> of the
    /// row's canonical text (numbers in invariant round-trip form) and the first row holding that text.
    /// </summary>
    public static T[] Map<T>(Column column, Func<string, int, T> map, T missing)
    {
        var result = new T[column.Length];
        if (column is StringColumn text)
        {
            var codes = text.Codes;
            var cache = new T[text.Dictionary.Count];
            var done = new bool[cache.Length];
            for (var r = 0; r < result.Length; r++)
            {
                var code = codes[r];
                if (code == StringColumn.MissingCode)
                {
                    result[r] = missing;
                    continue;
                }

                if (!done[code])
                {
                    cache[code] = map(text.Dictionary[code], r);
                    done[code] = true;
                }

                result[r] = cache[code];
            }

            return result;
        }

        for (var r = 0; r < result.Length; r++)
        {
            var value = column.GetText(r);
            result[r] = value is null ? missing : map(value, r);
        }

        return result;
    }

    /// <summary>
    /// The column as numbers, NaN where missing or not finite. Text is parsed (invariant culture; blank is missing).
    /// </summary>
    /// <exception cref="FerryException">INPUT_INVALID naming the column and the first row whose text is not a number.</exception>
    public static double[] Numbers(Column column)
    {
        if (column is NumericColumn numeric)
        {
            var values = numeric.Values.ToArray();
            for (var i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]))
                {
                    values[i] = double.NaN;
                }
            }

            return values;
        }

        return Map(column, (text, row) =>
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return double.NaN;
            }

            return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? double.IsFinite(v) ? v : double.NaN
                : throw InputErrors.NotANumber(column.Name, row, text);
        }, double.NaN);
    }

    /// <summary>The distinct non-missing texts of a column with their row counts.</summary>
    public static Dictionary<string, int> Counts(Column column)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (column is StringColumn text)
        {
            var perCode = new int[text.Dictionary.Count];
            foreach (var code in text.Codes)
            {
                if (code != StringColumn.MissingCode)
                {
                    perCode[code]++;
                }
            }

            for (var code = 0; code < perCode.Length; code++)
            {
                if (perCode[code] > 0)
                {
                    // A dictionary may repeat a value after merges; counts add up.
                    counts[text.Dictionary[code]] = counts.GetValueOrDefault(text.Dictionary[code]) + perCode[code];
                }
            }

            return counts;
        }

        for (var r = 0; r < column.Length; r++)
        {
            if (column.GetText(r) is { } value)
            {
                counts[value] = counts.GetValueOrDefault(value) + 1;
            }
        }

        return counts;
    }
}
