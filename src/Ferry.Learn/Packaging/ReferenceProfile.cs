using System.Text.Json;
using Ferry.Data.Schema;

namespace Ferry.Learn.Packaging;

/// <summary>
/// <c>reference.json</c>: what the model's data looked like when it was trained, for drift checks on live traffic.
/// Per input column the missing rate and either deciles and a histogram (numbers) or category shares; the label's
/// distribution; and the distribution of the model's own predictions on reference rows.
/// </summary>
/// <param name="Version">The file layout version.</param>
/// <param name="Rows">How many rows the profile was built from.</param>
/// <param name="Source">Which rows: for example <c>validation</c> or <c>training</c>.</param>
/// <param name="Features">One entry per model input, in signature order.</param>
/// <param name="Label">The label's distribution (class shares, or deciles and histogram for regression).</param>
/// <param name="Predictions">The predicted labels' shares, or the predicted values' deciles and histogram.</param>
/// <param name="Confidence">For binary, the distribution of class 1's probability; for multiclass, of the top probability; null for regression.</param>
public sealed record ReferenceProfile(
    int Version,
    int Rows,
    string Source,
    IReadOnlyList<FeatureReference> Features,
    Distribution Label,
    Distribution Predictions,
    Distribution? Confidence)
{
    /// <summary>The file name inside a model package.</summary>
    public const string FileName = "reference.json";

    /// <summary>The layout version this Ferry writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Writes the profile as compact JSON.</summary>
    public async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, this, FerryJson.Compact, cancellationToken);
    }

    /// <summary>Reads a profile written by <see cref="SaveAsync"/>.</summary>
    /// <exception cref="FerryException">PACKAGE_INVALID when the file is not a profile this Ferry reads.</exception>
    public static async Task<ReferenceProfile> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ReferenceProfile? profile;
        try
        {
            await using var stream = File.OpenRead(path);
            profile = await JsonSerializer.DeserializeAsync<ReferenceProfile>(stream, FerryJson.Compact, cancellationToken);
        }
        catch (JsonException e)
        {
            throw FerryException.Invalid("PACKAGE_INVALID", $"reference profile '{path}' is not valid ({e.Message})");
        }

        if (profile?.Features is null || profile.Label is null || profile.Predictions is null || profile.Version is < 1 or > CurrentVersion)
        {
            throw FerryException.Invalid("PACKAGE_INVALID", $"reference profile '{path}' lacks features, label or predictions, or has an unknown version");
        }

        return profile;
    }
}

/// <summary>The reference distribution of one model input.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Kind">Its kind in the signature.</param>
/// <param name="MissingRate">The share of rows with no value (or, for numbers, no finite value).</param>
/// <param name="Distribution">Its values' distribution; null for text and date columns, which are compared by missing rate only.</param>
public sealed record FeatureReference(string Name, ColumnKind Kind, double MissingRate, Distribution? Distribution);

/// <summary>
/// A compact distribution: for numbers <see cref="Quantiles"/> (deciles, 0% to 100%) and an equal-width histogram;
/// for categories the share of each (the most frequent 50, the rest summed under <c>(other)</c>). Shares are of non-missing values.
/// </summary>
/// <param name="Quantiles">Values at 0, 10, ..., 100 percent (numbers).</param>
/// <param name="BinEdges">Histogram edges, one more than bins (numbers).</param>
/// <param name="BinCounts">Rows per bin; the last bin includes its upper edge (numbers).</param>
/// <param name="Shares">Share of rows per category (categories).</param>
public sealed record Distribution(
    IReadOnlyList<double>? Quantiles = null,
    IReadOnlyList<double>? BinEdges = null,
    IReadOnlyList<int>? BinCounts = null,
    IReadOnlyDictionary<string, double>? Shares = null);
