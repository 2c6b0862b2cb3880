using System.Globalization;
using Ferry.Data.Schema;
using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// A zoo learner as <c>ferry.yaml</c>'s <c>space</c> reshapes it: its space has the user's ranges and choices (a fixed
/// value is a choice of one), and its portfolio is moved inside them, so every configuration the search tries respects
/// the user's settings, and the values are recorded with each trial. Fitting and loading are the zoo learner's own.
/// </summary>
internal sealed class ConfiguredLearner : ILearner
{
    private readonly ILearner _inner;
    private readonly IReadOnlyDictionary<string, ParameterRange> _overridden;

    public ConfiguredLearner(ILearner inner, IReadOnlyDictionary<string, ParameterRange> overridden)
    {
        _inner = inner;
        _overridden = overridden;
        Space = [.. inner.Space.Select(r => overridden.GetValueOrDefault(r.Name) ?? r)];
    }

    public string Name => _inner.Name;

    public string Flavor => _inner.Flavor;

    public bool NeedsScaling => _inner.NeedsScaling;

    public IReadOnlyList<ParameterRange> Space { get; }

    public bool Supports(TaskKind task) => _inner.Supports(task);

    public IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits) => [.. _inner.Portfolio(traits).Select(Conform)];

    public Task<IFittedModel> FitAsync(TrainingSet train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken) =>
        _inner.FitAsync(train, hyperparameters, seed, cancellationToken);

    public Task<IFittedModel> LoadAsync(string folder, CancellationToken cancellationToken) => _inner.LoadAsync(folder, cancellationToken);

    /// <summary>A configuration moved inside the overridden ranges: values clamped, a missing one set to the range's middle.</summary>
    internal Hyperparameters Conform(Hyperparameters configuration)
    {
        foreach (var (name, range) in _overridden)
        {
            configuration = configuration.With(name, Conform(range, configuration.Values.GetValueOrDefault(name)));
        }

        return configuration;
    }

    private static string Conform(ParameterRange range, string? current)
    {
        double? value = double.TryParse(current, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        if (range.Scale == ParameterScale.Choice)
        {
            var choices = range.Choices!;
            if (current is not null && choices.Contains(current, StringComparer.Ordinal))
            {
                return current;
            }

            // Numeric choices: the nearest to what the portfolio wanted.
            return value is { } wanted && choices.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                ? choices.MinBy(c => Math.Abs(double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture) - wanted))!
                : choices[0];
        }

        var middle = range.Scale is ParameterScale.Log or ParameterScale.LogWhole ? Math.Sqrt(range.Min * range.Max) : (range.Min + range.Max) / 2;
        return SpaceOverrides.Format(range, Math.Clamp(value ?? middle, range.Min, range.Max));
    }
}
