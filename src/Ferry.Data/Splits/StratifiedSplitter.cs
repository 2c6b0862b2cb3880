using Ferry.Data.Tables;

namespace Ferry.Data.Splits;

/// <summary>Shuffled train/validation/test splits and k-fold, each stratum keeping its share of every part.</summary>
internal static class StratifiedSplitter
{
    public static Split TrainValidationTest(Table table, string? stratifyBy, double validationFraction, double testFraction, ulong seed)
    {
        SplitChecks.RequireFractions(validationFraction, testFraction);
        var strata = Strata.Build(table, stratifyBy);
        var notes = new List<string>(strata.Notes);
        var (_, validationSize, testSize) = SplitChecks.PartSizes(strata.IncludedCount, validationFraction, testFraction);

        var sizes = strata.Rows.Select(r => r.Length).ToArray();

        // Every stratum keeps at least one row in train, so a model sees every class.
        var testCaps = sizes.Select(s => Math.Max(0, s - 1)).ToArray();
        var testSeats = Allocation.Apportion(sizes, testSize, testCaps);
        var validationCaps = sizes.Select((s, i) => Math.Max(0, s - 1 - testSeats[i])).ToArray();
        var validationSeats = Allocation.Apportion(sizes, validationSize, validationCaps);

        var train = new List<int>();
        var validation = new List<int>();
        var test = new List<int>();
        var random = new SplitRandom(seed);
        for (var s = 0; s < strata.Rows.Count; s++)
        {
            var rows = strata.Rows[s].ToArray();
            random.Shuffle(rows.AsSpan());
            test.AddRange(rows.AsSpan(0, testSeats[s]));
            validation.AddRange(rows.AsSpan(testSeats[s], validationSeats[s]));
            train.AddRange(rows.AsSpan(testSeats[s] + validationSeats[s]));
        }

        AddShortfallNote(notes, "validation", validation.Count, validationSize, stratifyBy);
        AddShortfallNote(notes, "test", test.Count, testSize, stratifyBy);
        return new Split(Sorted(train), Sorted(validation), Sorted(test)) { Excluded = strata.Excluded, Notes = notes };
    }

    public static IReadOnlyList<Fold> KFold(Table table, int k, string? stratifyBy, ulong seed)
    {
        SplitChecks.RequireFoldCount(k);
        var strata = Strata.Build(table, stratifyBy);
        var included = strata.IncludedCount;
        if (k > included)
        {
            throw FerryException.Invalid(
                "SPLIT_TOO_FEW_ROWS",
                $"{k} folds need at least {k} rows, but the table has {included}" +
                (strata.Excluded.Length > 0 ? $" with a value in '{stratifyBy}'" : string.Empty) +
                $". Use {Math.Max(2, included)} folds or fewer, or a single train/validation/test split.");
        }

        if (strata.AreClasses)
        {
            var smallest = Enumerable.Range(0, strata.Rows.Count).MinBy(i => strata.Rows[i].Length);
            var smallestSize = strata.Rows[smallest].Length;
            if (k > smallestSize)
            {
                throw FerryException.Invalid(
                    "SPLIT_TOO_FEW_ROWS",
                    $"Class '{strata.Names[smallest]}' of '{stratifyBy}' has only {smallestSize} rows, so {k} stratified folds cannot each validate on it. " +
                    (smallestSize >= 2
                        ? $"Use {smallestSize} folds or fewer, or gather more rows of '{strata.Names[smallest]}', or merge it with a similar class."
                        : $"Gather more rows of '{strata.Names[smallest]}', merge it with a similar class, or drop its rows."));
            }
        }

        // Deal shuffled rows round-robin, carrying the position across strata so fold sizes differ by at most one
        // overall and each stratum's rows per fold differ by at most one.
        var foldOf = new int[table.RowCount];
        Array.Fill(foldOf, -1);
        var random = new SplitRandom(seed);
        var position = 0;
        foreach (var stratum in strata.Rows)
        {
            var rows = stratum.ToArray();
            random.Shuffle(rows.AsSpan());
            foreach (var row in rows)
            {
                foldOf[row] = position++ % k;
            }
        }

        return FoldBuilder.Build(foldOf, k, strata.Excluded, strata.Notes);
    }

    private static void AddShortfallNote(List<string> notes, string part, int got, int wanted, string? stratifyBy)
    {
        if (got < wanted)
        {
            notes.Add(
                $"The {part} part has {got} rows, not {wanted}: classes of '{stratifyBy}' with very few rows keep at least one row in train. " +
                "Gather more rows of the rare classes or split without stratifying.");
        }
    }

    private static int[] Sorted(List<int> rows)
    {
        rows.Sort();
        return [.. rows];
    }
}
