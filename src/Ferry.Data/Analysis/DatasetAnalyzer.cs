using Ferry.Data.Images;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Loading.Parquet;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Data.Validation;
using Ferry.Data.Versioning;

namespace Ferry.Data.Analysis;

/// <summary>
/// The one entry point for "what is in this dataset": loads a CSV or Parquet file or an image folder,
/// infers the schema and task, profiles every column, runs the checks and computes the content hash.
/// </summary>
public static class DatasetAnalyzer
{
    private const string ImageColumn = "image";
    private const string ImageLabel = "label";

    /// <summary>Analyses the dataset at <paramref name="path"/> (a file, or a folder of images).</summary>
    public static async Task<DatasetAnalysis> AnalyzeAsync(string path, AnalyzeOptions options, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(path))
        {
            return await AnalyzeImagesAsync(path, options, progress, cancellationToken);
        }

        var load = await LoadTableAsync(path, options.Load, progress, cancellationToken);
        var schema = SchemaInference.Infer(load.Table, options.Label, options.Task);
        var profiles = Profiler.ProfileAll(load.Table, schema);
        var warnings = DatasetValidator.Validate(load.Table, schema, profiles).ToList();
        if (options.TestPath is { } testPath)
        {
            var test = await LoadTableAsync(testPath, options.Load, progress: null, cancellationToken);
            warnings.AddRange(DatasetValidator.CompareSplits(load.Table, test.Table));
        }

        var hash = ContentHash.Compute(load.Table, cancellationToken);
        return new DatasetAnalysis(path, load.Format, load.Table, null, schema, profiles, Order(warnings), load.BadRows, load.BadRowCount, load.Notes, hash);
    }

    /// <summary>Loads a table file by its extension: <c>.parquet</c> with Parquet, anything else as CSV.</summary>
    public static Task<TableLoadResult> LoadTableAsync(string path, TableLoadOptions options, IProgress<LoadProgress>? progress, CancellationToken cancellationToken) =>
        Path.GetExtension(path).ToLowerInvariant() is ".parquet" or ".pq"
            ? ParquetTableReader.LoadAsync(path, options, progress, cancellationToken)
            : CsvTableReader.LoadAsync(path, options, progress, cancellationToken);

    private static async Task<DatasetAnalysis> AnalyzeImagesAsync(string root, AnalyzeOptions options, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        if (options.Label is { } label && label != ImageLabel)
        {
            throw FerryException.Usage("LABEL_NOT_FOUND", $"an image folder's label is its class folder name; --label '{label}' does not apply (leave it out)");
        }

        var load = await ImageFolderLoader.LoadAsync(root, new ImageLoadOptions { Strict = options.Load.Strict }, progress, cancellationToken);
        var images = load.Dataset;
        // Images become a two-column table (image id, label) so the label checks and profiles are the tables' own.
        var table = new Table(
        [
            StringColumn.FromValues(ImageColumn, images.Items.Select(i => i.Id)),
            StringColumn.FromValues(ImageLabel, images.Items.Select(i => i.Label)),
        ]);
        var inferred = SchemaInference.Infer(table, ImageLabel, options.Task);
        var sizes = images.Sizes.Select(s => new ValueCount($"{s.Width}x{s.Height} {(s.Channels == 1 ? "gray" : "RGB")}", s.Count)).ToList();
        var imageSchema = new ColumnSchema(ImageColumn, ColumnKind.Image, images.Count, 0,
            images.HasUniformSize ? $"images, all {sizes[0].Value}" : $"images in {sizes.Count} sizes");
        var schema = inferred with { Columns = [imageSchema, inferred.LabelColumn] };
        var labelProfile = Profiler.Profile(table[ImageLabel], inferred.LabelColumn);
        var imageProfile = new ColumnProfile(ImageColumn, ColumnKind.Image, images.Count, 0, images.Count, null, sizes);
        IReadOnlyList<ColumnProfile> profiles = [imageProfile, labelProfile];

        var warnings = DatasetValidator.Validate(table, schema, profiles).Where(w => !w.Columns.Contains(ImageColumn)).ToList();
        if (!images.HasUniformSize)
        {
            warnings.Add(new DataWarning("IMAGE_SIZES_VARY", WarningSeverity.Info,
                $"images come in {sizes.Count} sizes (most common {sizes[0].Value}, {sizes[0].Count} images)",
                "nothing to do: training resizes every image to one size; crop or pad them yourself if the aspect ratio matters",
                [ImageColumn]));
        }

        var badRows = load.BadImages.Select(b => new BadRow(0, null, b.Path, b.Reason)).ToList();
        var format = $"image folder ({images.Classes.Count} classes)";
        return new DatasetAnalysis(root, format, table, images, schema, profiles, Order(warnings), badRows, load.BadImageCount, load.Notes, load.ContentHash);
    }

    private static List<DataWarning> Order(IEnumerable<DataWarning> warnings) =>
        [.. warnings.OrderByDescending(w => w.Severity)];
}
