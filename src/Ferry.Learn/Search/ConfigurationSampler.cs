using System.Globalization;
using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// Draws configurations from a learner's search space: uniform, log-uniform, whole numbers or choices, as each
/// range says. Seeded, so a search with the same seed draws the same sequence.
/// </summary>
internal sealed class ConfigurationSampler(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>A configuration with every range of <paramref name="space"/> drawn once.</summary>
    public Hyperparameters Draw(IReadOnlyList<ParameterRange> space)
    {
        var values = new List<KeyValuePair<string, string>>(space.Count);
        foreach (var range in space)
        {
            values.Add(new(range.Name, Draw(range)));
        }

        return new Hyperparameters(values);
    }

    /// <summary>
    /// A configuration near <paramref name="center"/>: each numeric value moved by a random step of about a tenth of
    /// its range (in log space for log scales), a choice kept or, one time in four, redrawn. The local half of the search.
    /// </summary>
    public Hyperparameters Perturb(IReadOnlyList<ParameterRange> space, Hyperparameters center)
    {
        var values = new List<KeyValuePair<string, string>>(space.Count);
        foreach (var range in space)
        {
            if (!center.Values.TryGetValue(range.Name, out var current))
            {
                values.Add(new(range.Name, Draw(range)));
                continue;
            }

            values.Add(new(range.Name, range.Scale == ParameterScale.Choice
                ? _random.Next(4) == 0 ? Draw(range) : current
                : Nudge(range, double.Parse(current, NumberStyles.Float, CultureInfo.InvariantCulture))));
        }

        return new Hyperparameters(values);
    }

    private string Draw(ParameterRange range) => range.Scale switch
    {
        ParameterScale.Choice => range.Choices is { Count: > 0 } choices
            ? choices[_random.Next(choices.Count)]
            : throw new ArgumentException($"hyperparameter '{range.Name}' is a choice with no choices"),
        _ => Format(range, FromUnit(range, _random.NextDouble())),
    };

    private string Nudge(ParameterRange range, double value)
    {
        var unit = Math.Clamp(ToUnit(range, value) + ((_random.NextDouble() - 0.5) * 0.2), 0, 1);
        return Format(range, FromUnit(range, unit));
    }

    private static bool IsLog(ParameterRange range) => range.Scale is ParameterScale.Log or ParameterScale.LogWhole;

    private static double FromUnit(ParameterRange range, double unit) => IsLog(range)
        ? Math.Exp(Math.Log(range.Min) + (unit * (Math.Log(range.Max) - Math.Log(range.Min))))
        : range.Min + (unit * (range.Max - range.Min));

    private static double ToUnit(ParameterRange range, double value)
    {
        if (range.Max <= range.Min)
        {
            return 0;
        }

        return IsLog(range)
            ? (Math.Log(Math.Clamp(value, range.Min, range.Max)) - Math.Log(range.Min)) / (Math.Log(range.Max) - Math.Log(range.Min))
            : (Math.Clamp(value, range.Min, range.Max) - range.Min) / (range.Max - range.Min);
    }

    private static string Format(ParameterRange range, double value) => range.Scale is ParameterScale.Whole or ParameterScale.LogWhole
        ? ((long)Math.Round(Math.Clamp(value, range.Min, range.Max))).ToString(CultureInfo.InvariantCulture)
        : value.ToString("G6", CultureInfo.InvariantCulture); // Six significant digits: enough to search, short in params.
}
