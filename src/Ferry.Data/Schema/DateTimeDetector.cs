using System.Globalization;

namespace Ferry.Data.Schema;

/// <summary>Recognises text that holds dates or timestamps in ISO 8601 or the common day/month/year layouts.</summary>
internal static class DateTimeDetector
{
    /// <summary>The share of distinct values that must parse for a column to count as dates.</summary>
    public const double RequiredShare = 0.95;

    // "d"/"M"/"H" also accept two digits, so "d/M/yyyy" covers dd/MM/yyyy and 1/5/2020 alike.
    // Day-first and month-first are both accepted: telling them apart is a parsing concern, not a kind one.
    private static readonly string[] Formats = BuildFormats();

    /// <summary>Whether <paramref name="text"/> parses as a date or timestamp in one of the known layouts.</summary>
    public static bool IsDateTime(string text)
    {
        var s = text.AsSpan().Trim();

        // Cheap rejections first: every known layout starts with a digit and is 8..40 characters.
        if (s.Length is < 8 or > 40 || !char.IsAsciiDigit(s[0]))
        {
            return false;
        }

        return DateTimeOffset.TryParseExact(
            s, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
    }

    /// <summary>
    /// Whether at least <see cref="RequiredShare"/> of <paramref name="distinctValues"/> are dates: a spread
    /// sample of up to 256 values decides quickly, and when that passes and the set is small enough
    /// (at most 20,000 values) every value is checked so a few dates in a text column do not pass.
    /// </summary>
    public static bool MostlyDateTimes(IReadOnlyList<string> distinctValues)
    {
        if (distinctValues.Count == 0)
        {
            return false;
        }

        const int sampleSize = 256;
        var step = Math.Max(1, distinctValues.Count / sampleSize);
        var sampled = 0;
        var parsed = 0;
        for (var i = 0; i < distinctValues.Count; i += step)
        {
            sampled++;
            if (IsDateTime(distinctValues[i]))
            {
                parsed++;
            }
            else if (sampled - parsed > sampleSize * (1 - RequiredShare))
            {
                return false;
            }
        }

        if (parsed < sampled * RequiredShare)
        {
            return false;
        }

        if (step == 1 || distinctValues.Count > 20_000)
        {
            return true;
        }

        var all = 0;
        foreach (var value in distinctValues)
        {
            if (IsDateTime(value))
            {
                all++;
            }
        }

        return all >= distinctValues.Count * RequiredShare;
    }

    // "K" matches no zone, "Z" and offsets such as +01:00 or +0100.
    private static string[] BuildFormats() => DateTimeFormats.For(["yyyy-M-d", "yyyy/M/d", "d/M/yyyy", "M/d/yyyy", "d.M.yyyy"]);
}
