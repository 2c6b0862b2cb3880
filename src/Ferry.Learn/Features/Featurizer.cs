using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Training;

namespace Ferry.Learn.Features;

/// <summary>
/// Ferry's own tabular featurisation, shared by every learner and saved in the package as <c>features.json</c>.
/// Fitted on training rows (the label excluded), it turns any table with the same input columns into a
/// <see cref="FeatureMatrix"/>: numbers imputed with the median (plus a missing indicator where training had gaps)
/// and optionally standardised; categories one-hot or hashed by cardinality; dates as parts; text as hashed words;
/// id-like columns dropped. Unseen categories and missing values never fail. Immutable and thread-safe.
/// </summary>
public sealed class Featurizer
{
    /// <summary>The file name of a featurizer inside a model package.</summary>
    public const string FileName = "features.json";

    private const int Version = 1;

    // Encoding columns in parallel pays off only for larger tables.
    private const long ParallelCells = 1 << 18;

    private readonly FeaturizerDocument _document;

    private Featurizer(FeaturizerDocument document)
    {
        _document = document;
        FeatureNames = [.. document.Encoders.SelectMany(e => e.FeatureNames())];
    }

    /// <summary>The input columns the featurizer reads, with the categories, ranges and missing rates seen in training.</summary>
    public IReadOnlyList<InputColumn> Inputs => _document.Inputs;

    /// <summary>Columns of the training data it does not use, with why.</summary>
    public IReadOnlyList<DroppedColumn> Dropped => _document.Dropped;

    /// <summary>The output feature names, one per feature column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Whether numeric and date features are standardised.</summary>
    public bool Scaled => _document.Scale;

    /// <summary>One line per input column saying how it is encoded, then one per dropped column.</summary>
    public IReadOnlyList<string> Description =>
        [.. _document.Encoders.Select(e => e.Describe(Scaled)), .. Dropped.Select(d => $"{d.Column}: dropped ({d.Reason})")];

    internal IReadOnlyList<ColumnEncoder> Encoders => _document.Encoders;

    /// <summary>Fits on the training rows of <paramref name="train"/>; every feature column of <paramref name="schema"/> is read, the label is not.</summary>
    /// <exception cref="FerryException">INPUT_INVALID when a schema column is absent or a numeric column holds text;
    /// NO_FEATURES when no column is left to learn from.</exception>
    public static Featurizer Fit(Table train, DatasetSchema schema, FeaturizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new FeaturizerOptions();
        var absent = schema.Features.Where(c => train.IndexOf(c.Name) < 0).Select(c => c.Name).ToList();
        if (absent.Count > 0)
        {
            throw InputErrors.MissingColumns(absent);
        }

        var fitter = new FeaturizerFitter(options);
        foreach (var column in schema.Features)
        {
            fitter.Add(train[column.Name], column.Kind);
        }

        if (fitter.Encoders.Count == 0)
        {
            var why = fitter.Dropped.Count == 0 ? "the table has no columns besides the label" : string.Join("; ", fitter.Dropped.Select(d => $"{d.Column}: {d.Reason}"));
            throw FerryException.Invalid(
                "NO_FEATURES",
                $"no column is left to learn from ({why}); add columns that hold values related to label '{schema.Label}'");
        }

        return new Featurizer(new FeaturizerDocument(Version, options.Scale, fitter.Inputs, fitter.Encoders, fitter.Dropped));
    }

    /// <summary>The same fitted encodings with scaling switched on or off (scaling statistics are always fitted).</summary>
    public Featurizer WithScaling(bool scale) => scale == Scaled ? this : new Featurizer(_document with { Scale = scale });

    /// <summary>The model signature for these inputs and the given label, task and classes.</summary>
    public ModelSignature Signature(DatasetSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new ModelSignature(Inputs, schema.Task, schema.Label, schema.Classes);
    }

    /// <summary>Featurises every row of <paramref name="table"/>; extra columns are ignored.</summary>
    /// <exception cref="FerryException">INPUT_INVALID naming a column the model needs that the table lacks, or a numeric
    /// column's row whose text is not a number.</exception>
    public FeatureMatrix Transform(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var absent = Encoders.Where(e => table.IndexOf(e.Column) < 0).Select(e => e.Column).ToList();
        if (absent.Count > 0)
        {
            throw InputErrors.MissingColumns(absent);
        }

        var width = FeatureNames.Count;
        var cells = (long)table.RowCount * width;
        if (cells > Array.MaxLength)
        {
            throw FerryException.Invalid(InputErrors.Code, $"{table.RowCount} rows of {width} features are too many for one batch; score the rows in smaller batches");
        }

        var values = new float[cells];
        var offsets = new int[Encoders.Count];
        for (var i = 1; i < offsets.Length; i++)
        {
            offsets[i] = offsets[i - 1] + Encoders[i - 1].Width;
        }

        void EncodeOne(int i) => Encoders[i].Encode(table[Encoders[i].Column], Scaled, values, width, offsets[i]);
        if (cells >= ParallelCells && Encoders.Count > 1)
        {
            Parallel.For(0, Encoders.Count, EncodeOne);
        }
        else
        {
            for (var i = 0; i < Encoders.Count; i++)
            {
                EncodeOne(i);
            }
        }

        return new FeatureMatrix(values, FeatureNames);
    }

    /// <summary>Writes the featurizer as JSON to <paramref name="path"/>.</summary>
    public async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, _document, FerryJson.Indented, cancellationToken);
    }

    /// <summary>Reads a featurizer written by <see cref="SaveAsync"/>.</summary>
    /// <exception cref="FerryException">PACKAGE_INVALID when the file is not a featurizer this Ferry can read.</exception>
    public static async Task<Featurizer> LoadAsync(string path, CancellationToken cancellationToken)
    {
        FeaturizerDocument? document;
        try
        {
            await using var stream = File.OpenRead(path);
            document = await JsonSerializer.DeserializeAsync<FeaturizerDocument>(stream, FerryJson.Compact, cancellationToken);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw BadFile(path, $"it is not valid ({e.Message})");
        }

        if (document is null || document.Inputs is null || document.Encoders is null || document.Encoders.Count == 0 || document.Encoders.Any(e => e is null))
        {
            throw BadFile(path, "it lacks inputs or encoders");
        }

        if (document.Version is < 1 or > Version)
        {
            throw BadFile(path, $"its version is {document.Version}; this Ferry reads version {Version} (upgrade Ferry to load it)");
        }

        return new Featurizer(document with { Dropped = document.Dropped ?? [] });
    }

    private static FerryException BadFile(string path, string problem) =>
        FerryException.Invalid("PACKAGE_INVALID", $"featurizer '{path}' cannot be used: {problem}");
}
