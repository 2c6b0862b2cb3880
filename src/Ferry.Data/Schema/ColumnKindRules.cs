using Ferry.Data.Tables;

namespace Ferry.Data.Schema;

/// <summary>
/// Decides a column's <see cref="ColumnKind"/> from its <see cref="ColumnFacts"/>. The rules run in order:
/// Boolean, DateTime (text only), IdLike, Text (text only), then Categorical for text and Numeric for numbers.
/// Numbers stay Numeric even with few distinct values: integer codes are numbers to learners.
/// </summary>
internal static class ColumnKindRules
{
    /// <summary>The fewest non-missing rows for an all-distinct column to count as an id.</summary>
    public const int MinIdRows = 20;

    /// <summary>Text needs more than this many distinct values.</summary>
    public const int MinTextDistinct = 20;

    private static readonly (string A, string B)[] BooleanPairs =
        [("true", "false"), ("yes", "no"), ("y", "n"), ("t", "f"), ("0", "1")];

    private static readonly HashSet<string> IdWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "key", "uuid", "guid", "idx", "index", "rowid", "rownum", "pk",
    };

    /// <summary>Classifies a scanned column.</summary>
    public static ColumnSchema Classify(ColumnFacts facts)
    {
        var column = facts.Column;
        ColumnSchema Make(ColumnKind kind, string reason) =>
            new(column.Name, kind, facts.Distinct, column.MissingCount, reason);

        if (facts.NonMissing == 0)
        {
            return Make(facts.IsNumeric ? ColumnKind.Numeric : ColumnKind.Categorical, "every value is missing");
        }

        return facts.Column is StringColumn text ? ClassifyText(facts, text, Make) : ClassifyNumbers(facts, Make);
    }

    /// <summary>Whether a column name suggests a key: "id", "user_id", "userId", "row key", "uuid", "Unnamed: 0"...</summary>
    public static bool NameHintsId(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0 || trimmed == "#" || trimmed.StartsWith("unnamed", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var last = LastWord(trimmed);
        return IdWords.Contains(last) || IdWords.Contains(trimmed.Replace("_", "", StringComparison.Ordinal));
    }

    private static ColumnSchema ClassifyNumbers(ColumnFacts facts, Func<ColumnKind, string, ColumnSchema> make)
    {
        if (facts.Distinct == 2 && facts.Min == 0 && facts.Max == 1)
        {
            return make(ColumnKind.Boolean, "two values 0/1");
        }

        if (facts.AllInteger && facts.Distinct == facts.NonMissing && facts.NonMissing >= MinIdRows)
        {
            if (NameHintsId(facts.Column.Name))
            {
                return make(ColumnKind.IdLike, $"a distinct whole number in each of {facts.NonMissing} rows and an id-like name");
            }

            // Compare in doubles: max - min may exceed int range for large keys.
            if (facts.Max - facts.Min == facts.NonMissing - 1.0)
            {
                return make(ColumnKind.IdLike, $"whole numbers forming a consecutive run {Fmt(facts.Min)}..{Fmt(facts.Max)}, one per row");
            }
        }

        var reason = facts.AllInteger
            ? facts.Distinct <= 20
                ? $"whole numbers with only {facts.Distinct} distinct values, kept as numbers (may be codes)"
                : $"whole numbers with {facts.Distinct} distinct values"
            : $"numbers with {facts.Distinct} distinct values";
        if (facts.InfiniteCount > 0)
        {
            reason += $" and {facts.InfiniteCount} infinite";
        }

        return make(ColumnKind.Numeric, reason);
    }

    private static ColumnSchema ClassifyText(ColumnFacts facts, StringColumn column, Func<ColumnKind, string, ColumnSchema> make)
    {
        var distinctValues = facts.UsedCodes().Select(code => column.Dictionary[code]).ToList();
        if (distinctValues.Count == 2 && IsBooleanPair(distinctValues[0], distinctValues[1]))
        {
            return make(ColumnKind.Boolean, $"two values '{distinctValues[0]}'/'{distinctValues[1]}'");
        }

        if (DateTimeDetector.MostlyDateTimes(distinctValues))
        {
            return make(ColumnKind.DateTime, $"{Percent(ParsedShare(distinctValues))} of the distinct values parse as dates or timestamps");
        }

        var (averageLength, spacedShare) = Shape(distinctValues);
        var wordy = spacedShare >= 0.5;
        if (facts.Distinct == facts.NonMissing && facts.NonMissing >= MinIdRows && !wordy)
        {
            return make(ColumnKind.IdLike, $"a distinct value in each of {facts.NonMissing} rows");
        }

        if (facts.Distinct > facts.NonMissing / 2.0 && facts.Distinct > MinTextDistinct && (averageLength > 20 || wordy))
        {
            var why = wordy ? "most contain spaces" : $"average length {averageLength:0}";
            return make(ColumnKind.Text, $"free text: {facts.Distinct} distinct values of {facts.NonMissing}, {why}");
        }

        return make(ColumnKind.Categorical, $"text with {facts.Distinct} distinct values");
    }

    private static bool IsBooleanPair(string a, string b)
    {
        var x = a.Trim().ToLowerInvariant();
        var y = b.Trim().ToLowerInvariant();
        foreach (var (p, q) in BooleanPairs)
        {
            if ((x == p && y == q) || (x == q && y == p))
            {
                return true;
            }
        }

        return false;
    }

    // Length and word shape over a spread sample of distinct values: enough to tell sentences from codes.
    private static (double AverageLength, double SpacedShare) Shape(List<string> values)
    {
        var step = Math.Max(1, values.Count / 1000);
        long length = 0;
        var spaced = 0;
        var n = 0;
        for (var i = 0; i < values.Count; i += step)
        {
            var v = values[i].Trim();
            length += v.Length;
            if (v.Contains(' ', StringComparison.Ordinal))
            {
                spaced++;
            }

            n++;
        }

        return n == 0 ? (0, 0) : ((double)length / n, (double)spaced / n);
    }

    private static double ParsedShare(List<string> values)
    {
        var step = Math.Max(1, values.Count / 1000);
        var n = 0;
        var ok = 0;
        for (var i = 0; i < values.Count; i += step)
        {
            n++;
            if (DateTimeDetector.IsDateTime(values[i]))
            {
                ok++;
            }
        }

        return (double)ok / n;
    }

    // The last word of a name split at separators and camelCase humps: "customerId" -> "Id", "row key" -> "key".
    private static string LastWord(string name)
    {
        var end = name.Length;
        while (end > 0 && !char.IsLetterOrDigit(name[end - 1]))
        {
            end--;
        }

        var start = end;
        while (start > 0 && char.IsLetterOrDigit(name[start - 1]))
        {
            start--;
            if (char.IsUpper(name[start]) && start > 0 && char.IsLower(name[start - 1]))
            {
                break;
            }
        }

        return name[start..end];
    }

    private static string Percent(double share) => $"{share * 100:0.#}%";

    private static string Fmt(double value) => NumericColumn.Format(value) ?? "?";
}
