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
public sealed record ParameterRange(string Name, ParameterScale Scale, double Min = 0, double Max = 0, IReadOnlyList<string>? Choices = null);
