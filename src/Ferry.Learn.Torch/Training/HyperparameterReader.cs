using System.Globalization;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Training;

/// <summary>
/// Reads a learner's hyperparameters with defaults and range checks, so a bad value (from a template or a
/// search-space override) stops the fit with a message naming it rather than training something odd.
/// </summary>
internal sealed class HyperparameterReader(Hyperparameters values, string learner)
{
    /// <summary>A whole number in [min, max], or <paramref name="fallback"/> when not set.</summary>
    public int Whole(string name, int fallback, int min, int max) => (int)Math.Round(Number(name, fallback, min, max));

    /// <summary>A number in [min, max], or <paramref name="fallback"/> when not set.</summary>
    public double Number(string name, double fallback, double min, double max)
    {
        double value;
        try
        {
            value = values.Number(name, fallback);
        }
        catch (FormatException)
        {
            throw Invalid(name, $"'{values.Choice(name, "")}' is not a number");
        }

        return value >= min && value <= max
            ? value
            : throw Invalid(name, $"{value.ToString(CultureInfo.InvariantCulture)} is outside {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>true/false, or <paramref name="fallback"/> when not set.</summary>
    public bool Flag(string name, bool fallback) => values.Choice(name, fallback ? "true" : "false") switch
    {
        "true" => true,
        "false" => false,
        var other => throw Invalid(name, $"'{other}' is neither true nor false"),
    };

    /// <summary>One of <paramref name="allowed"/>, or <paramref name="fallback"/> when not set.</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        var value = values.Choice(name, fallback);
        return allowed.Contains(value, StringComparer.Ordinal) ? value : throw Invalid(name, $"'{value}' is not one of {string.Join(", ", allowed)}");
    }

    private FerryException Invalid(string name, string problem) =>
        FerryException.Invalid("HYPERPARAMETER_INVALID", $"{learner} hyperparameter '{name}': {problem}; fix it in the search-space override or template");
}
