using System.Text.Json;
using Ferry.Learn.Training;

namespace Ferry.Learn.Learners.Linear;

/// <summary>
/// A fitted linear regression on featurised rows: an intercept plus one coefficient per feature, evaluated in
/// double precision. Saved as <c>ridge.json</c>, whose numbers round-trip exactly.
/// </summary>
public sealed class RidgeModel : IFittedModel
{
    /// <summary>The file holding the coefficients.</summary>
    public const string FileName = "ridge.json";

    private const int CurrentFormat = 1;
    private readonly double[] _coefficients;

    /// <summary>A model with these coefficients (one per feature) and intercept.</summary>
    public RidgeModel(double[] coefficients, double intercept)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        _coefficients = coefficients;
        Intercept = intercept;
    }

    /// <summary>One coefficient per feature, in feature order.</summary>
    public IReadOnlyList<double> Coefficients => _coefficients;

    /// <summary>The prediction for a row of zeros (the training means when features are standardised).</summary>
    public double Intercept { get; }

    /// <inheritdoc />
    public float[][] Predict(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != _coefficients.Length)
        {
            throw new ArgumentException($"the model reads {_coefficients.Length} features but got {features.Columns}", nameof(features));
        }

        var outputs = new float[features.Rows][];
        for (var i = 0; i < outputs.Length; i++)
        {
            var row = features.Row(i);
            var sum = Intercept;
            for (var j = 0; j < row.Length; j++)
            {
                sum += _coefficients[j] * row[j];
            }

            outputs[i] = [(float)sum];
        }

        return outputs;
    }

    /// <inheritdoc />
    public async Task SaveAsync(string folder, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(Path.Combine(folder, FileName));
        await JsonSerializer.SerializeAsync(stream, new RidgeFile(CurrentFormat, _coefficients, Intercept), FerryJson.Indented, cancellationToken);
    }

    /// <summary>Loads a model written by <see cref="SaveAsync"/>.</summary>
    /// <exception cref="FerryException">PACKAGE_INVALID when the file is missing, malformed, of another format or holds non-finite numbers.</exception>
    public static async Task<RidgeModel> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw Invalid(path, "is missing");
        }

        RidgeFile? file;
        try
        {
            await using var stream = File.OpenRead(path);
            file = await JsonSerializer.DeserializeAsync<RidgeFile>(stream, FerryJson.Compact, cancellationToken);
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"is not valid JSON of a ridge model ({e.Message})");
        }

        if (file is null || file.Format != CurrentFormat)
        {
            throw Invalid(path, $"has format {file?.Format.ToString() ?? "none"}; this Ferry reads format {CurrentFormat}");
        }

        if (file.Coefficients is not { Length: > 0 } coefficients || !coefficients.All(double.IsFinite) || !double.IsFinite(file.Intercept))
        {
            throw Invalid(path, "has no coefficients, or numbers that are not finite");
        }

        return new RidgeModel(coefficients, file.Intercept);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static FerryException Invalid(string path, string problem) =>
        FerryException.Invalid("PACKAGE_INVALID", $"the ridge model file '{path}' {problem}");

    private sealed record RidgeFile(int Format, double[]? Coefficients, double Intercept);
}
