namespace Ferry.Data.Schema;

/// <summary>The exact-parse formats Ferry reads date-times with: each date order alone, or with a time and an optional zone.</summary>
public static class DateTimeFormats
{
    /// <summary>
    /// The formats for <paramref name="dates"/> in order of preference: each date alone, then with <c>H:mm</c>,
    /// <c>H:mm:ss</c> or fractional seconds and a zone (<c>K</c>: none, <c>Z</c> or an offset), and ISO's <c>T</c>
    /// separator for year-first dates.
    /// </summary>
    public static string[] For(IReadOnlyList<string> dates)
    {
        ArgumentNullException.ThrowIfNull(dates);
        string[] times = ["H:mm", "H:mm:ss", "H:mm:ss.FFFFFFF"];
        var formats = new List<string>();
        foreach (var date in dates)
        {
            formats.Add(date);
            foreach (var time in times)
            {
                formats.Add($"{date} {time}K");
                if (date.StartsWith('y'))
                {
                    formats.Add($"{date}'T'{time}K");
                }
            }
        }

        return [.. formats];
    }
}
