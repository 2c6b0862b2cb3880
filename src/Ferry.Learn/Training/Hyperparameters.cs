using System.Globalization;

namespace Ferry.Learn.Training;

/// <summary>
/// One configuration of a learner: named values as the search samples them and as they are logged as
/// run params. Numbers are kept as invariant-culture text, so a configuration round-trips through params exactly.
/// </summary>
public sealed class Hyperparameters
{
    private readonly SortedDictionary<string, string> _values;

    /// <summary>Creates a configuration from name/value pairs.</summary>
    public Hyperparameters(IEnumerable<KeyValuePair<string, string>> values) => _values = new(values.ToDictionary(), StringComparer.Ordinal);

    /// <summary>The learner's defaults.</summary>
    public static Hyperparameters Empty { get; } = new([]);

    /// <summary>Every value, by name, sorted.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>A number, or <paramref name="fallback"/> when not set.</summary>
    public double Number(string name, double fallback) =>
        _values.TryGetValue(name, out var text) ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    /// <summary>An integer, or <paramref name="fallback"/> when not set.</summary>
    public int WholeNumber(string name, int fallback) => (int)Math.Round(Number(name, fallback));

    /// <summary>A text choice, or <paramref name="fallback"/> when not set.</summary>
    public string Choice(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    /// <summary>A copy with one value set.</summary>
    public Hyperparameters With(string name, double value) => With(name, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A copy with one value set.</summary>
    public Hyperparameters With(string name, string value) => new(_values.Append(new(name, value)).GroupBy(p => p.Key).Select(g => g.Last()));

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _values.Select(p => $"{p.Key}={p.Value}"));
}
