using System.Globalization;
using Ferry.Data.Tables;

namespace Ferry.Data.Splits;

/// <summary>
/// A split by time: the oldest rows train, the next validate, the newest test, as a model will meet the future.
/// Rows with the same time never straddle a boundary, so no moment is both learned from and scored on.
/// </summary>
internal static class TimeSplitter
{
    public static Split ByTime(Table table, string timeColumn, double validationFraction, double testFraction)
    {
        SplitChecks.RequireFractions(validationFraction, testFraction);
        var column = SplitChecks.RequireColumn(table, timeColumn);
        var (rows, keys, excluded) = column switch
        {
            StringColumn s => ParseTexts(s),
            NumericColumn numbers => ReadNumbers(numbers),
            _ => throw new NotSupportedException($"column type {column.GetType().Name} is not supported"),
        };

        // Sorting the keys carries the rows along; order within equal times does not matter, parts are re-sorted.
        Array.Sort(keys, rows);
        var n = rows.Length;
        var (trainSize, validationSize, _) = SplitChecks.PartSizes(n, validationFraction, testFraction);
        var firstValidation = Boundary(keys, trainSize);
        var firstTest = Math.Max(firstValidation, Boundary(keys, trainSize + validationSize));

        var notes = new List<string>();
        if (excluded.Length > 0)
        {
            notes.Add($"{excluded.Length} rows with no value in '{timeColumn}' were left out of every part.");
        }

        AddTieNote(notes, "validation", firstTest - firstValidation, validationSize, n, timeColumn);
        AddTieNote(notes, "test", n - firstTest, n - trainSize - validationSize, n, timeColumn);
        return new Split(
            SortedSlice(rows, 0, firstValidation),
            SortedSlice(rows, firstValidation, firstTest),
            SortedSlice(rows, firstTest, n))
        {
            Excluded = excluded,
            Notes = notes,
        };
    }

    /// <summary>
    /// Moves a cut at <paramref name="cut"/> to the nearer edge of the run of equal times it falls in
    /// (the later edge on a tie, keeping more rows for training).
    /// </summary>
    private static int Boundary(double[] keys, int cut)
    {
        if (cut <= 0 || cut >= keys.Length || keys[cut - 1] != keys[cut])
        {
            return Math.Clamp(cut, 0, keys.Length);
        }

        var start = cut - 1;
        while (start > 0 && keys[start - 1] == keys[cut])
        {
            start--;
        }

        var end = cut;
        while (end < keys.Length && keys[end] == keys[cut])
        {
            end++;
        }

        return cut - start < end - cut ? start : end;
    }

    private static (int[] Rows, double[] Keys, int[] Excluded) ParseTexts(StringColumn column)
    {
        // Parse each distinct text once; the dictionary is usually far smaller than the column.
        var parsed = new double?[column.Dictionary.Count];
        var rows = new List<int>();
        var keys = new List<double>();
        var excluded = new List<int>();
        var codes = column.Codes;
        for (var row = 0; row < codes.Length; row++)
        {
            var code = codes[row];
            if (code == StringColumn.MissingCode)
            {
                excluded.Add(row);
                continue;
            }

            if (parsed[code] is not { } key)
            {
                var text = column.Dictionary[code];
                if (!DateTimeOffset.TryParse(
                        text,
                        CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces,
                        out var moment))
                {
                    throw Unreadable(column.Name, row, text, "is not a date or time");
                }

                // Ticks as a double can merge times a few microseconds apart into a tie, but never reorder them.
                parsed[code] = key = moment.UtcTicks;
            }

            rows.Add(row);
            keys.Add(key);
        }

        return ([.. rows], [.. keys], [.. excluded]);
    }

    private static (int[] Rows, double[] Keys, int[] Excluded) ReadNumbers(NumericColumn column)
    {
        var rows = new List<int>();
        var keys = new List<double>();
        var excluded = new List<int>();
        var values = column.Values;
        for (var row = 0; row < values.Length; row++)
        {
            var value = values[row];
            if (double.IsNaN(value))
            {
                excluded.Add(row);
                continue;
            }

            if (double.IsInfinity(value))
            {
                throw Unreadable(column.Name, row, NumericColumn.Format(value)!, "is not a timestamp");
            }

            rows.Add(row);
            keys.Add(value);
        }

        return ([.. rows], [.. keys], [.. excluded]);
    }

    private static FerryException Unreadable(string column, int row, string value, string problem)
    {
        var shown = value.Length > 60 ? value[..60] + "…" : value;
        return FerryException.Invalid(
            "SPLIT_TIME_UNPARSEABLE",
            $"Column '{column}' at row {row + 1} (counting data rows from 1) holds '{shown}', which {problem}. " +
            "Fix or clear that value (ISO 8601 such as 2024-05-01T13:00:00Z reads best), or split by another column.");
    }

    private static void AddTieNote(List<string> notes, string part, int got, int wanted, int rows, string timeColumn)
    {
        if (Math.Abs(got - wanted) > Math.Max(1, rows / 50))
        {
            notes.Add(
                $"The {part} part has {got} rows, not {wanted}: rows with the same '{timeColumn}' were kept on one side of the cut.");
        }
    }

    private static int[] SortedSlice(int[] rows, int start, int end)
    {
        var slice = rows[start..end];
        Array.Sort(slice);
        return slice;
    }
}
