using System.Globalization;
using Ferry.Learn.Training;

namespace Ferry.Learn.Search;

/// <summary>
/// Applies <c>ferry.yaml</c>'s <c>space</c> to the learners a search uses. Every entry is checked against the whole
/// zoo first (so a typo fails before any data is read, naming its line): the learner must exist, the hyperparameter
/// must be in its space, values must be of the right kind (numbers, whole numbers, one of the choices) and inside the
/// learner's valid domain, and a range must run from its minimum to its maximum.
/// </summary>
internal static class SpaceOverrides
{
    /// <summary>The learners, those with overrides wrapped so that every configuration they offer respects them.</summary>
    /// <exception cref="FerryException">CONFIG_INVALID naming the setting, its line and what to write instead.</exception>
    public static List<ILearner> Apply(IReadOnlyList<ILearner> zoo, List<ILearner> learners, IReadOnlyList<SpaceOverride>? overrides)
    {
        var byLearner = Resolve(zoo, overrides);
        return [.. learners.Select(l => byLearner.TryGetValue(l.Name, out var ranges) ? new ConfiguredLearner(l, ranges) : l)];
    }

    /// <summary>The overridden ranges per learner name, checked; a fixed value is a choice of one.</summary>
    /// <exception cref="FerryException">CONFIG_INVALID as for <see cref="Apply"/>.</exception>
    public static Dictionary<string, Dictionary<string, ParameterRange>> Resolve(IReadOnlyList<ILearner> zoo, IReadOnlyList<SpaceOverride>? overrides)
    {
        var result = new Dictionary<string, Dictionary<string, ParameterRange>>(StringComparer.Ordinal);
        foreach (var entry in overrides ?? [])
        {
            var learner = zoo.FirstOrDefault(l => l.Name == entry.Learner)
                ?? throw Invalid(entry.LearnerLocation ?? entry.Location,
                    $"space names learner '{entry.Learner}', which is not in the zoo; the learners are {string.Join(", ", zoo.Select(l => l.Name))}");
            var range = learner.Space.FirstOrDefault(r => r.Name == entry.Parameter)
                ?? throw Invalid(entry.Location,
                    $"{entry.Path}: learner '{learner.Name}' has no hyperparameter '{entry.Parameter}'; its hyperparameters are "
                    + (learner.Space.Count == 0 ? "none" : string.Join(", ", learner.Space.Select(r => r.Name))));
            if (!result.TryGetValue(learner.Name, out var ranges))
            {
                result[learner.Name] = ranges = new Dictionary<string, ParameterRange>(StringComparer.Ordinal);
            }

            if (!ranges.TryAdd(range.Name, Resolve(range, entry)))
            {
                throw Invalid(entry.Location, $"{entry.Path} is set twice; keep one");
            }
        }

        return result;
    }

    /// <summary>The search params recording the overrides: <c>space.lightgbm.num_leaves</c> = <c>[8, 64]</c>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Params(IReadOnlyList<SpaceOverride>? overrides) =>
        (overrides ?? []).Select(o => KeyValuePair.Create(o.Path, o.Text));

    /// <summary>The range the search uses for one override of <paramref name="zoo"/>.</summary>
    internal static ParameterRange Resolve(ParameterRange zoo, SpaceOverride entry)
    {
        if (entry.Values.Count == 0)
        {
            throw Invalid(entry.Location, $"{entry.Path} is an empty list; give a value, a [min, max] range or a list of choices");
        }

        if (zoo.Scale == ParameterScale.Choice)
        {
            var allowed = zoo.Choices ?? [];
            var unknown = entry.Values.FirstOrDefault(v => !allowed.Contains(v, StringComparer.Ordinal));
            return unknown is null
                ? zoo with { Choices = [.. entry.Values.Distinct(StringComparer.Ordinal)] }
                : throw Invalid(entry.Location, $"{entry.Path} is one of {string.Join(", ", allowed)}; '{unknown}' is not");
        }

        var numbers = entry.Values.Select(v => Number(zoo, entry, v)).ToList();
        if (numbers.Count == 1)
        {
            return zoo with { Scale = ParameterScale.Choice, Choices = [Format(zoo, numbers[0])] };
        }

        if (numbers.Count > 2)
        {
            return zoo with { Scale = ParameterScale.Choice, Choices = [.. numbers.Distinct().Select(n => Format(zoo, n))] };
        }

        var (min, max) = (numbers[0], numbers[1]);
        if (min > max)
        {
            throw Invalid(entry.Location, $"{entry.Path} is [{entry.Values[0]}, {entry.Values[1]}], whose minimum is above its maximum; write [{entry.Values[1]}, {entry.Values[0]}]");
        }

        if (zoo.Scale is ParameterScale.Log or ParameterScale.LogWhole && min <= 0)
        {
            throw Invalid(entry.Location,
                $"{entry.Path} is searched on a log scale, so a range must start above 0 (such as [{Format(zoo, zoo.Min)}, {entry.Values[1]}]); to use {entry.Values[0]}, fix it as a single value");
        }

        return zoo with { Min = min, Max = max };
    }

    private static double Number(ParameterRange zoo, SpaceOverride entry, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Invalid(entry.Location, $"{entry.Path} takes numbers; '{text}' is not a number");
        }

        if (zoo.IsWhole && value != Math.Floor(value))
        {
            throw Invalid(entry.Location, $"{entry.Path} takes whole numbers; {text} is not one");
        }

        var domain = zoo.ValidDomain;
        return domain.Contains(value)
            ? value
            : throw Invalid(entry.Location, $"{entry.Path} must lie in {domain} for learner '{entry.Learner}'; {text} is outside");
    }

    /// <summary>Whole numbers as integers, others round-trippable: the text a configuration carries.</summary>
    internal static string Format(ParameterRange range, double value) => range.IsWhole
        ? ((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static FerryException Invalid(SourceLocation? location, string message) =>
        FerryException.Invalid("CONFIG_INVALID", message, location);
}
