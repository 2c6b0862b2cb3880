using System.Globalization;
using Ferry.Data.Tables;

namespace Ferry.Data.Splits;

/// <summary>
/// Rows grouped by the value of a stratify-by column, in a fixed order (by value) so a seed always
/// shuffles the same way. Rows with no value are set aside in <see cref="Excluded"/>.
/// </summary>
internal sealed class Strata
{
    /// <summary>A numeric label with more distinct values than this is treated as continuous and binned.</summary>
    public const int MaxNumericClasses = 20;

    /// <summary>How many quantile bins a continuous label is cut into.</summary>
    public const int QuantileBins = 10;

    private Strata(List<int[]> rows, List<string> names, int[] excluded, bool areClasses, List<string> notes)
    {
        Rows = rows;
        Names = names;
        Excluded = excluded;
        AreClasses = areClasses;
        Notes = notes;
    }

    /// <summary>Each stratum's rows, ascending.</summary>
    public IReadOnlyList<int[]> Rows { get; }

    /// <summary>A display name per stratum, for messages.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Rows with no value in the column, ascending.</summary>
    public int[] Excluded { get; }

    /// <summary>True when strata are label values (classes), false for quantile bins or a single all-rows stratum.</summary>
    public bool AreClasses { get; }

    /// <summary>What a user should know about how rows were grouped.</summary>
    public List<string> Notes { get; }

    public int IncludedCount => Rows.Sum(r => r.Length);

    public static Strata Build(Table table, string? stratifyBy)
    {
        if (stratifyBy is null)
        {
            var all = Enumerable.Range(0, table.RowCount).ToArray();
            return all.Length == 0
                ? new Strata([], [], [], areClasses: false, [])
                : new Strata([all], ["all rows"], [], areClasses: false, []);
        }

        var column = SplitChecks.RequireColumn(table, stratifyBy);
        var strata = column switch
        {
            StringColumn s => FromCodes(s),
            NumericColumn n => FromNumbers(n),
            _ => throw new NotSupportedException($"column type {column.GetType().Name} is not supported"),
        };
        if (strata.Excluded.Length > 0)
        {
            strata.Notes.Insert(0, $"{strata.Excluded.Length} rows with no value in '{stratifyBy}' were left out of every part.");
        }

        return strata;
    }

    private static Strata FromCodes(StringColumn column)
    {
        var codes = column.Codes;
        var byCode = new List<int>[column.Dictionary.Count];
        var excluded = new List<int>();
        for (var row = 0; row < codes.Length; row++)
        {
            var code = codes[row];
            if (code == StringColumn.MissingCode)
            {
                excluded.Add(row);
                continue;
            }

            (byCode[code] ??= []).Add(row);
        }

        // Order by value, not by code: codes follow first appearance, which a re-sorted file would change.
        var order = Enumerable.Range(0, byCode.Length)
            .Where(c => byCode[c] is not null)
            .OrderBy(c => column.Dictionary[c], StringComparer.Ordinal)
            .ThenBy(c => c)
            .ToList();
        return new Strata(
            [.. order.Select(c => byCode[c].ToArray())],
            [.. order.Select(c => column.Dictionary[c])],
            [.. excluded],
            areClasses: true,
            []);
    }

    private static Strata FromNumbers(NumericColumn column)
    {
        var values = column.Values;
        var byValue = new Dictionary<double, List<int>>();
        var excluded = new List<int>();
        for (var row = 0; row < values.Length; row++)
        {
            var v = values[row];
            if (double.IsNaN(v))
            {
                excluded.Add(row);
                continue;
            }

            if (!byValue.TryGetValue(v, out var rows))
            {
                byValue.Add(v, rows = []);
            }

            rows.Add(row);
        }

        var distinct = byValue.Keys.Order().ToList();
        if (distinct.Count <= MaxNumericClasses)
        {
            return new Strata(
                [.. distinct.Select(v => byValue[v].ToArray())],
                [.. distinct.Select(v => NumericColumn.Format(v)!)],
                [.. excluded],
                areClasses: true,
                []);
        }

        // Continuous label: cut into quantile bins by rank, keeping equal values in one bin.
        var included = values.Length - excluded.Count;
        var bins = new List<int>[QuantileBins];
        var rank = 0;
        foreach (var v in distinct)
        {
            var rows = byValue[v];
            var bin = (int)((long)rank * QuantileBins / included);
            (bins[bin] ??= []).AddRange(rows);
            rank += rows.Count;
        }

        var used = Enumerable.Range(0, QuantileBins).Where(b => bins[b] is not null).ToList();
        return new Strata(
            [.. used.Select(b => bins[b].Order().ToArray())],
            [.. used.Select(b => string.Create(CultureInfo.InvariantCulture, $"quantile bin {b + 1}"))],
            [.. excluded],
            areClasses: false,
            [$"'{column.Name}' has {distinct.Count} distinct values, so rows were stratified by {used.Count} quantile bins of it."]);
    }
}
