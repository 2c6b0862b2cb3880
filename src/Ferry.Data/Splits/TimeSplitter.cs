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
        var (rows, keys, excluded) = ReadTimes(SplitChecks.RequireColumn(table, timeColumn));

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
    /// Forward-chaining folds (scikit-learn's TimeSeriesSplit): the rows, oldest first, are cut into k + 1 blocks of
    /// about equal size; fold f trains on blocks 0..f and validates on block f + 1, so every fold is scored on times
    /// after all the times it learned from. The first block is never validated on.
    /// </summary>
    public static IReadOnlyList<Fold> ForwardChaining(Table table, string timeColumn, int k)
    {
        SplitChecks.RequireFoldCount(k);
        var (rows, keys, excluded) = ReadTimes(SplitChecks.RequireColumn(table, timeColumn));
        Array.Sort(keys, rows);
        var n = rows.Length;
        var cuts = new int[k + 2];
        for (var b = 1; b <= k + 1; b++)
        {
            cuts[b] = Math.Max(cuts[b - 1], Boundary(keys, (int)Math.Round((double)n * b / (k + 1), MidpointRounding.AwayFromZero)));
        }

        var distinct = n == 0 ? 0 : 1 + Enumerable.Range(1, n - 1).Count(i => keys[i] != keys[i - 1]);
        if (Enumerable.Range(1, k + 1).Any(b => cuts[b] == cuts[b - 1]))
        {
            throw FerryException.Invalid(
                "SPLIT_TOO_FEW_ROWS",
                $"{k} forward-chaining folds need {k + 1} blocks of rows with distinct times in '{timeColumn}', but there are {n} rows with {distinct} distinct times. " +
                (distinct >= 3 ? $"Use {Math.Max(2, Math.Min(k - 1, distinct - 1))} folds or fewer, or add rows." : "Add rows, or split without time."));
        }

        var notes = excluded.Length > 0 ? new[] { $"{excluded.Length} rows with no value in '{timeColumn}' were left out of every fold." } : [];
        var folds = new Fold[k];
        for (var f = 0; f < k; f++)
        {
            folds[f] = new Fold(f, SortedSlice(rows, 0, cuts[f + 1]), SortedSlice(rows, cuts[f + 1], cuts[f + 2])) { Excluded = excluded, Notes = notes };
        }

        return folds;
    }

    private static (int[] Rows, double[] Keys, int[] Excluded) ReadTimes(Column column) => column switch
    {
        StringColumn s => ParseTexts(s),
        NumericColumn numbers => ReadNumbers(numbers),
        _ => throw new NotSupportedException($"column type {column.GetType().Name} is not supported"),
    };

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
