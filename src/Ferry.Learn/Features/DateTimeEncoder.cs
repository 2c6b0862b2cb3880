using System.Text.Json.Serialization;
using Ferry.Data.Tables;

namespace Ferry.Learn.Features;

/// <summary>
/// A date or timestamp column, as its parts: year, month, day of week (Monday = 0), day of year and, when training
/// values carried a time of day, the hour. Missing or unreadable values take each part's training median, with a
/// missing indicator when training had any; parts are standardised when scaling.
/// </summary>
/// <param name="Column">The input column.</param>
/// <param name="DayFirst">Whether "1/5/2020" reads as the 1st of May.</param>
/// <param name="Hour">Whether the hour is a part.</param>
/// <param name="Medians">The training median of each part.</param>
/// <param name="Means">The training mean of each part.</param>
/// <param name="Stds">The training standard deviation of each part.</param>
/// <param name="Indicator">Whether a missing-indicator column follows the parts.</param>
internal sealed record DateTimeEncoder(
    string Column,
    bool DayFirst,
    bool Hour,
    IReadOnlyList<double> Medians,
    IReadOnlyList<double> Means,
    IReadOnlyList<double> Stds,
    bool Indicator) : ColumnEncoder(Column)
{
    private static readonly string[] PartNames = ["year", "month", "day_of_week", "day_of_year", "hour"];

    private int Parts => Hour ? 5 : 4;

    /// <inheritdoc />
    [JsonIgnore]
    public override int Width => Parts + (Indicator ? 1 : 0);

    /// <summary>Fits on the training column; null when no value is a date.</summary>
    public static DateTimeEncoder? Fit(Column column)
    {
        var dayFirst = DateTimeText.PrefersDayFirst(ColumnValues.Counts(column).Keys);
        var dates = Parse(column, dayFirst);
        var present = dates.Where(d => d is not null).Select(d => d!.Value).ToList();
        if (present.Count == 0)
        {
            return null;
        }

        var hour = present.Any(d => d.TimeOfDay != TimeSpan.Zero);
        var parts = hour ? 5 : 4;
        var medians = new double[parts];
        var means = new double[parts];
        var stds = new double[parts];
        for (var p = 0; p < parts; p++)
        {
            var values = present.Select(d => Part(d, p)).ToArray();
            medians[p] = NumericEncoder.MedianOf(values);
            (means[p], stds[p]) = NumericEncoder.Moments(values);
        }

        return new DateTimeEncoder(column.Name, dayFirst, hour, medians, means, stds, present.Count < dates.Length);
    }

    /// <inheritdoc />
    public override IEnumerable<string> FeatureNames()
    {
        var names = PartNames.Take(Parts).Select(p => $"{Column}_{p}");
        return Indicator ? names.Append(Column + "_missing") : names;
    }

    /// <inheritdoc />
    public override string Describe(bool scaled) =>
        $"{Column}: date parts ({string.Join(", ", PartNames.Take(Parts))}), {(DayFirst ? "day" : "month")} first, missing -> median"
        + (Indicator ? " with a missing indicator" : "") + (scaled ? ", standardised" : "");

    /// <inheritdoc />
    public override void Encode(Column column, bool scale, float[] values, int stride, int offset)
    {
        var dates = Parse(column, DayFirst);
        for (var r = 0; r < dates.Length; r++)
        {
            var at = r * stride + offset;
            var date = dates[r];
            for (var p = 0; p < Parts; p++)
            {
                var x = date is { } d ? Part(d, p) : Medians[p];
                values[at + p] = (float)(scale ? (x - Means[p]) / Stds[p] : x);
            }

            if (Indicator)
            {
                values[at + Parts] = date is null ? 1 : 0;
            }
        }
    }

    private static DateTime?[] Parse(Column column, bool dayFirst) =>
        ColumnValues.Map(column, (text, _) => DateTimeText.TryParse(text, dayFirst, out var d) ? d : (DateTime?)null, null);

    private static double Part(DateTime d, int part) => part switch
    {
        0 => d.Year,
        1 => d.Month,
        2 => ((int)d.DayOfWeek + 6) % 7,
        3 => d.DayOfYear,
        _ => d.Hour,
    };
}
