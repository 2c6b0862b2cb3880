using Ferry.Data.Tables;

namespace Ferry.Data.Splits;

/// <summary>
/// Splits that keep every group (rows sharing a value of a column, such as a customer or patient id) in one part,
/// so a model is never scored on a group it trained on. A row with no group value is its own group: nothing says
/// it belongs with any other row, and lumping all of them together would make one oversized group.
/// </summary>
internal static class GroupSplitter
{
    public static Split ByGroup(Table table, string groupColumn, double validationFraction, double testFraction, ulong seed)
    {
        SplitChecks.RequireFractions(validationFraction, testFraction);
        var (groups, missing) = Groups(SplitChecks.RequireColumn(table, groupColumn));
        var notes = new List<string>();
        AddMissingNote(notes, missing, groupColumn);
        new SplitRandom(seed).Shuffle(groups.AsSpan());

        var (trainSize, validationSize, testSize) = SplitChecks.PartSizes(table.RowCount, validationFraction, testFraction);
        int[] targets = [trainSize, validationSize, testSize];
        var parts = new[] { new List<int>(), new List<int>(), new List<int>() };

        // Each group goes to the part furthest below its target; ties favour train, then validation.
        foreach (var group in groups)
        {
            var best = 0;
            for (var p = 1; p < parts.Length; p++)
            {
                if (targets[p] - parts[p].Count > targets[best] - parts[best].Count)
                {
                    best = p;
                }
            }

            parts[best].AddRange(group);
        }

        AddFractionNote(notes, "validation", parts[1].Count, table.RowCount, validationFraction, groupColumn);
        AddFractionNote(notes, "test", parts[2].Count, table.RowCount, testFraction, groupColumn);
        foreach (var part in parts)
        {
            part.Sort();
        }

        return new Split([.. parts[0]], [.. parts[1]], [.. parts[2]]) { Notes = notes };
    }

    public static IReadOnlyList<Fold> GroupKFold(Table table, string groupColumn, int k, ulong seed)
    {
        SplitChecks.RequireFoldCount(k);
        var (groups, missing) = Groups(SplitChecks.RequireColumn(table, groupColumn));
        if (k > groups.Length)
        {
            throw FerryException.Invalid(
                "SPLIT_TOO_FEW_GROUPS",
                $"{k} folds need at least {k} groups, but '{groupColumn}' has {groups.Length} distinct values. " +
                (groups.Length >= 2
                    ? $"Use {groups.Length} folds or fewer, or group by a finer column."
                    : "Group by a column with more distinct values, or split without groups."));
        }

        var notes = new List<string>();
        AddMissingNote(notes, missing, groupColumn);
        new SplitRandom(seed).Shuffle(groups.AsSpan());

        // Shuffled groups go to the fold with the fewest rows so far; the first k groups open the k folds.
        var foldOf = new int[table.RowCount];
        var load = new int[k];
        foreach (var group in groups)
        {
            var fold = 0;
            for (var f = 1; f < k; f++)
            {
                if (load[f] < load[fold])
                {
                    fold = f;
                }
            }

            foreach (var row in group)
            {
                foldOf[row] = fold;
            }

            load[fold] += group.Length;
        }

        return FoldBuilder.Build(foldOf, k, [], notes);
    }

    /// <summary>Rows per group in order of first appearance (a fixed order for the shuffle), and the number of rows with no value.</summary>
    private static (int[][] Groups, int Missing) Groups(Column column)
    {
        var groups = new List<List<int>>();
        var missing = 0;
        switch (column)
        {
            case StringColumn strings:
            {
                var groupOfCode = new int[strings.Dictionary.Count];
                Array.Fill(groupOfCode, -1);
                var codes = strings.Codes;
                for (var row = 0; row < codes.Length; row++)
                {
                    var code = codes[row];
                    if (code == StringColumn.MissingCode)
                    {
                        missing++;
                        groups.Add([row]);
                        continue;
                    }

                    if (groupOfCode[code] < 0)
                    {
                        groupOfCode[code] = groups.Count;
                        groups.Add([]);
                    }

                    groups[groupOfCode[code]].Add(row);
                }

                break;
            }

            case NumericColumn numbers:
            {
                var groupOfValue = new Dictionary<double, int>();
                var values = numbers.Values;
                for (var row = 0; row < values.Length; row++)
                {
                    var value = values[row];
                    if (double.IsNaN(value))
                    {
                        missing++;
                        groups.Add([row]);
                        continue;
                    }

                    if (!groupOfValue.TryGetValue(value, out var g))
                    {
                        groupOfValue.Add(value, g = groups.Count);
                        groups.Add([]);
                    }

                    groups[g].Add(row);
                }

                break;
            }

            default:
                throw new NotSupportedException($"column type {column.GetType().Name} is not supported");
        }

        return ([.. groups.Select(g => g.ToArray())], missing);
    }

    private static void AddMissingNote(List<string> notes, int missing, string groupColumn)
    {
        if (missing > 0)
        {
            notes.Add(
                $"{missing} rows have no value in '{groupColumn}'; each was treated as a group of its own. " +
                "If they belong to known groups, fill the column in so they cannot land on both sides of the split.");
        }
    }

    private static void AddFractionNote(List<string> notes, string part, int got, int rows, double asked, string groupColumn)
    {
        // Whole groups rarely hit a fraction exactly; say so only when the miss is large enough to matter.
        if (rows > 0 && Math.Abs(((double)got / rows) - asked) > 0.02)
        {
            notes.Add(
                $"The {part} part holds {SplitChecks.Percent(got, rows)} of rows (asked {SplitChecks.Percent(asked)}) " +
                $"because groups of '{groupColumn}' are kept whole.");
        }
    }
}
