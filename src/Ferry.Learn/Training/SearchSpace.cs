namespace Ferry.Learn.Training;

/// <summary>How a hyperparameter may vary in a search.</summary>
public enum ParameterScale
{
    /// <summary>Uniform between min and max.</summary>
    Linear,

    /// <summary>Uniform in the logarithm (learning rates, regularisation).</summary>
    Log,

    /// <summary>Whole numbers between min and max.</summary>
    Whole,

    /// <summary>Whole numbers, uniform in the logarithm (tree counts, leaves).</summary>
    LogWhole,

    /// <summary>One of a list of choices.</summary>
    Choice,
}

/// <summary>One searchable hyperparameter.</summary>
/// <param name="Name">The name, as in <see cref="Hyperparameters"/>.</param>
/// <param name="Scale">How it varies.</param>
/// <param name="Min">The smallest value (numeric scales).</param>
/// <param name="Max">The largest value (numeric scales).</param>
/// <param name="Choices">The choices (<see cref="ParameterScale.Choice"/>).</param>
public sealed record ParameterRange(string Name, ParameterScale Scale, double Min = 0, double Max = 0, IReadOnlyList<string>? Choices = null)
{
    /// <summary>
    /// Every value the learner accepts (usually wider than the range searched), which a user's fixed value or range
    /// in <c>ferry.yaml</c> must stay inside; null for the default of <see cref="ValidDomain"/>.
    /// </summary>
    public ParameterDomain? Domain { get; init; }

    /// <summary>
    /// <see cref="Domain"/>, or when the learner declares none: positive numbers on log scales, numbers from the
    /// searched minimum up for whole scales, and the searched range itself on a linear scale (nothing wider is known to work).
    /// </summary>
    public ParameterDomain ValidDomain => Domain ?? Scale switch
    {
        ParameterScale.Log or ParameterScale.LogWhole => new ParameterDomain(0, double.PositiveInfinity, MinExclusive: true),
        ParameterScale.Whole => new ParameterDomain(Min, double.PositiveInfinity),
        _ => new ParameterDomain(Min, Max),
    };

    /// <summary>Whether the scale takes whole numbers only.</summary>
    public bool IsWhole => Scale is ParameterScale.Whole or ParameterScale.LogWhole;
}

/// <summary>An interval of numbers a hyperparameter may take.</summary>
/// <param name="Min">The lower end.</param>
/// <param name="Max">The upper end (may be infinite).</param>
/// <param name="MinExclusive">Whether <paramref name="Min"/> itself is excluded (for example a rate that must be above 0).</param>
/// <param name="MaxExclusive">Whether <paramref name="Max"/> itself is excluded.</param>
public sealed record ParameterDomain(double Min, double Max, bool MinExclusive = false, bool MaxExclusive = false)
{
    /// <summary>Whether <paramref name="value"/> lies inside.</summary>
    public bool Contains(double value) =>
        (MinExclusive ? value > Min : value >= Min) && (MaxExclusive ? value < Max : value <= Max);

    /// <summary>The interval in math notation, for messages: <c>(0, 1]</c>, <c>[1, ∞)</c>.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(MinExclusive ? "(" : "[")}{Bound(Min)}, {Bound(Max)}{(MaxExclusive || double.IsInfinity(Max) ? ")" : "]")}");

    private static string Bound(double value) =>
        double.IsPositiveInfinity(value) ? "∞" : double.IsNegativeInfinity(value) ? "-∞" : value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
