using Ferry.Data.Tables;

namespace Ferry.Data.Validation;

/// <summary>Finds repeated rows and columns that hold identical values under different names.</summary>
internal static class DuplicateChecks
{
    /// <summary>Duplicate rows above this share of the table are a warning; below, information.</summary>
    public const double RowWarningShare = 0.05;

    private const int Examples = 5;

    /// <summary>DUPLICATE_ROWS: rows equal in every column (label included) to an earlier row.</summary>
    public static IEnumerable<DataWarning> Rows(Table table)
    {
        if (table.RowCount < 2 || table.ColumnCount == 0)
        {
            yield break;
        }

        var keys = new RowKeys(table.Columns);
        var first = new Dictionary<RowKeys.RowRef, int>(table.RowCount, keys);
        var duplicates = 0;
        var examples = new List<string>();
        for (var r = 0; r < table.RowCount; r++)
        {
            if (!first.TryAdd(new RowKeys.RowRef(0, r), r))
            {
                duplicates++;
                if (examples.Count < Examples)
                {
                    examples.Add($"row {r + 1} repeats row {first[new RowKeys.RowRef(0, r)] + 1}");
                }
            }
        }

        if (duplicates == 0)
        {
            yield break;
        }

        var share = (double)duplicates / table.RowCount;
        yield return new DataWarning(
            "DUPLICATE_ROWS",
            share >= RowWarningShare ? WarningSeverity.Warning : WarningSeverity.Info,
            $"{duplicates} of {table.RowCount} rows ({share:0.0%}) repeat an earlier row exactly ({string.Join("; ", examples)}; row numbers count data rows from 1)",
            "remove repeated rows unless they are genuine repeated observations; copies that land in both the training and test sets inflate the test score",
            []);
    }

    /// <summary>DUPLICATE_COLUMNS: groups of columns with identical values in every row, found by hashing then verified.</summary>
    public static IEnumerable<DataWarning> Columns(IReadOnlyList<Column> columns)
    {
        var groups = new Dictionary<(Type, ulong), List<Column>>();
        foreach (var column in columns)
        {
            var key = (column.GetType(), HashColumn(column));
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = [];
            }

            group.Add(column);
        }

        foreach (var candidates in groups.Values.Where(g => g.Count > 1))
        {
            // A hash match is only a candidate: split it into classes of truly identical columns.
            var remaining = new List<Column>(candidates);
            while (remaining.Count > 1)
            {
                var head = remaining[0];
                var same = remaining.Where(c => Identical(head, c)).ToList();
                remaining.RemoveAll(same.Contains);
                if (same.Count > 1)
                {
                    var names = same.Select(c => c.Name).ToList();
                    yield return new DataWarning(
                        "DUPLICATE_COLUMNS",
                        WarningSeverity.Warning,
                        $"columns {Quote(names)} hold identical values in every row",
                        $"keep '{names[0]}' and drop {Quote(names.Skip(1).ToList())}; copies add no information and blur feature importance",
                        names);
                }
            }
        }
    }

    private static ulong HashColumn(Column column)
    {
        ulong hash = 0;
        switch (column)
        {
            case NumericColumn numeric:
                foreach (var v in numeric.Values)
                {
                    hash = (System.Numerics.BitOperations.RotateLeft(hash, 17) ^ RowKeys.HashNumber(v)) * 0x100000001B3UL;
                }

                break;
            case StringColumn text:
                var dictionary = RowKeys.HashDictionary(text);
                foreach (var code in text.Codes)
                {
                    var cell = code == StringColumn.MissingCode ? RowKeys.HashText(null) : dictionary[code];
                    hash = (System.Numerics.BitOperations.RotateLeft(hash, 17) ^ cell) * 0x100000001B3UL;
                }

                break;
        }

        return hash;
    }

    /// <summary>Whether two columns hold the same canonical value in every row.</summary>
    public static bool Identical(Column a, Column b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Length != b.Length || a.MissingCount != b.MissingCount)
        {
            return false;
        }

        switch (a, b)
        {
            case (NumericColumn x, NumericColumn y):
                var u = x.Values;
                var v = y.Values;
                for (var r = 0; r < u.Length; r++)
                {
                    if (u[r] != v[r] && !(double.IsNaN(u[r]) && double.IsNaN(v[r])))
                    {
                        return false;
                    }
                }

                return true;
            case (StringColumn x, StringColumn y):
                var cx = x.Codes;
                var cy = y.Codes;
                for (var r = 0; r < cx.Length; r++)
                {
                    if ((cx[r] != cy[r] || !ReferenceEquals(x.Dictionary, y.Dictionary)) && !string.Equals(x[r], y[r], StringComparison.Ordinal))
                    {
                        return false;
                    }
                }

                return true;
            default:
                // Stored differently (numbers and text): equal only if every canonical text is.
                for (var r = 0; r < a.Length; r++)
                {
                    if (!string.Equals(a.GetText(r), b.GetText(r), StringComparison.Ordinal))
                    {
                        return false;
                    }
                }

                return true;
        }
    }

    private static string Quote(List<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
