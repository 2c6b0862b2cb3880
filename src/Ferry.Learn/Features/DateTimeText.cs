using System.Globalization;
using Ferry.Data.Schema;

namespace Ferry.Learn.Features;

/// <summary>
/// Parses the date and timestamp layouts schema inference recognises (ISO 8601, day/month/year, month/day/year,
/// day.month.year, with optional time and zone). Whether "1/5/2020" is the 1st of May or the 5th of January is
/// decided once per column at fit time, from the values that only parse one way.
/// </summary>
internal static class DateTimeText
{
    private static readonly string[] DayFirst = DateTimeFormats.For(["yyyy-M-d", "yyyy/M/d", "d/M/yyyy", "M/d/yyyy", "d.M.yyyy"]);
    private static readonly string[] MonthFirst = DateTimeFormats.For(["yyyy-M-d", "yyyy/M/d", "M/d/yyyy", "d/M/yyyy", "d.M.yyyy"]);

    /// <summary>Parses one value; the clock time as written is kept (an offset does not shift the hour).</summary>
    public static bool TryParse(string text, bool dayFirst, out DateTime value)
    {
        var s = text.AsSpan().Trim();
        if (DateTimeOffset.TryParseExact(s, dayFirst ? DayFirst : MonthFirst, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exact)
            || DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out exact))
        {
            value = exact.DateTime;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Whether day-first reading fits <paramref name="values"/> better: a first field above 12 ("25/12/2020") is a
    /// day, a second field above 12 ("12/25/2020") makes the first a month. Ties read month-first, as .NET does.
    /// </summary>
    public static bool PrefersDayFirst(IEnumerable<string> values)
    {
        int dayFirst = 0, monthFirst = 0;
        foreach (var value in values)
        {
            var s = value.AsSpan().Trim();
            var cut = s.IndexOfAny('/', '.');
            if (cut is < 1 or > 2 || !int.TryParse(s[..cut], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                continue;
            }

            var rest = s[(cut + 1)..];
            var end = rest.IndexOfAny('/', '.');
            if (end is < 1 or > 2 || !int.TryParse(rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var second))
            {
                continue;
            }

            dayFirst += first > 12 && second <= 12 ? 1 : 0;
            monthFirst += second > 12 && first <= 12 ? 1 : 0;
        }

        return dayFirst > monthFirst;
    }
}
