using System.Globalization;
using Ferry.Data.Analysis;
using Ferry.Data.Images;
using Ferry.Data.Schema;
using Ferry.Data.Splits;
using Ferry.Data.Tables;
using Ferry.Learn.Search;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Images;

/// <summary>The images a search runs on, ready: the untouched test images, the search images, the folds and the traits.</summary>
/// <param name="Analysis">What was loaded: schema, content hash; for a pixel table its rows.</param>
/// <param name="Pixels">How table rows hold images (the digits layout), or null for an image folder.</param>
/// <param name="Classes">The class labels in the order of the label indices (ordinal, as the models order them).</param>
/// <param name="Search">The images the search may see.</param>
/// <param name="SearchLabels">Each search image's class index.</param>
/// <param name="SearchRows">The search images as rows (pixel columns and label, or image id and label), for the reference profile.</param>
/// <param name="Test">The images held back for the final score.</param>
/// <param name="TestLabels">Each test image's class index.</param>
/// <param name="Folds">Each fold's training and validation indices into the search images.</param>
/// <param name="ImageTraits">What the CNN's defaults are chosen from.</param>
/// <param name="Traits">The same as the tabular search sees them (metric choice, small data).</param>
/// <param name="Defaults">The defaults chosen so far, with reasons.</param>
internal sealed record PreparedImageSearch(
    DatasetAnalysis Analysis,
    PixelTable? Pixels,
    IReadOnlyList<string> Classes,
    ImageDataset Search,
    float[] SearchLabels,
    Table SearchRows,
    ImageDataset Test,
    float[] TestLabels,
    IReadOnlyList<(int[] Train, int[] Validation)> Folds,
    ImageTraits ImageTraits,
    DataTraits Traits,
    List<DefaultChoice> Defaults)
{
    /// <summary>Binary for two classes, multiclass otherwise.</summary>
    public TaskKind Task => Classes.Count == 2 ? TaskKind.Binary : TaskKind.Multiclass;
}

/// <summary>
/// Loads an image folder (one subfolder per class) or a pixel table (the digits layout), checks that there is
/// something to learn, holds out a stratified test split and plans the folds, as the tabular search does.
/// </summary>
internal static class ImageSearchPreparation
{
    public static async Task<PreparedImageSearch> PrepareAsync(SearchSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Task == TaskKind.Regression)
        {
            throw FerryException.Usage("TASK_NOT_FOR_IMAGES", "images are classified: the image search does binary or multiclass tasks, not regression; leave --task out");
        }

        var defaults = new List<DefaultChoice>();
        var folder = Directory.Exists(settings.DataPath);
        DatasetAnalysis analysis;
        try
        {
            analysis = await DatasetAnalyzer.AnalyzeAsync(settings.DataPath, new AnalyzeOptions { Label = settings.Label, Task = settings.Task }, null, cancellationToken);
        }
        catch (FerryException e) when (folder && e.Code == "LABEL_SINGLE_CLASS")
        {
            throw OneClass(settings.DataPath, e);
        }

        var label = analysis.Schema.Label;
        if (analysis.Schema.Task == TaskKind.Regression)
        {
            throw FerryException.Invalid("LABEL_NOT_CLASSES",
                $"label '{label}' looks like a quantity ({analysis.Schema.TaskReason}); an image model predicts classes. Choose the class column with --label");
        }

        // Rows without a label are left out, as the tabular search does; the test split is then drawn from the rest.
        var labelled = Enumerable.Range(0, analysis.Table.RowCount).Where(r => analysis.Table[label].GetText(r) is not null).ToArray();
        var rows = labelled.Length == analysis.Table.RowCount ? analysis.Table : analysis.Table.SelectRows(labelled);
        if (labelled.Length < analysis.Table.RowCount)
        {
            defaults.Add(new("rows_without_label", Count(analysis.Table.RowCount - labelled.Length),
                $"{analysis.Table.RowCount - labelled.Length} rows have no value in '{label}' and were left out"));
        }

        PixelTable? pixels = null;
        ImageDataset images;
        if (folder)
        {
            images = analysis.Images!;
            if (analysis.BadRowCount > 0)
            {
                var first = analysis.BadRows[0];
                defaults.Add(new("skipped_images", Count(analysis.BadRowCount),
                    $"{analysis.BadRowCount} image(s) could not be decoded and were left out (first: '{first.Value}': {first.Reason}); fix or delete them"));
            }
        }
        else
        {
            pixels = PixelTable.Digits;
            images = DigitsImages.FromTable(rows, label);
            var ignored = rows.Columns.Select(c => c.Name).Where(n => n != label && !pixels.Columns.Contains(n)).ToList();
            if (ignored.Count > 0)
            {
                defaults.Add(new("ignored_columns", string.Join(", ", ignored.Take(5)) + (ignored.Count > 5 ? $" and {ignored.Count - 5} more" : ""),
                    "the image model reads only the pixel columns p0..p63; train without --pixels to use the other columns"));
            }
        }

        if (images.Classes.Count < 2)
        {
            throw folder ? OneClass(settings.DataPath, null) : FerryException.Invalid("LABEL_SINGLE_CLASS",
                $"label '{label}' has only one value ({images.Classes[0]}): there is nothing to learn. Choose another label with --label, or add rows of the other classes");
        }

        var classes = images.Classes;
        var labelTable = new Table([StringColumn.FromValues("label", images.Items.Select(i => i.Label))]);
        var split = Splitter.TrainValidationTest(labelTable, "label", 0, settings.TestShare, (ulong)settings.Seed);
        var search = new ImageDataset(split.Train.Select(i => images.Items[i]));
        var test = new ImageDataset(split.Test.Select(i => images.Items[i]));
        var imageTraits = ImageTraits.Of(search);
        var shape = imageTraits.Shape;
        var traits = new DataTraits(classes.Count == 2 ? TaskKind.Binary : TaskKind.Multiclass, search.Count, shape.Width * shape.Height * shape.Channels, classes.Count, imageTraits.MinorityShare);
        var folds = SearchSplits.Folds(settings, labelTable.SelectRows(split.Train), "label", traits, defaults, "images");
        var searchRows = folder ? analysis.Table.SelectRows(split.Train) : rows.SelectRows(split.Train);
        return new PreparedImageSearch(
            analysis, pixels, classes, search, Labels(search, classes), searchRows, test, Labels(test, classes), folds, imageTraits, traits, defaults);
    }

    /// <summary>Each image's class index into <paramref name="classes"/>.</summary>
    private static float[] Labels(ImageDataset images, IReadOnlyList<string> classes)
    {
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        return [.. images.Items.Select(i => (float)index[i.Label])];
    }

    private static FerryException OneClass(string folder, Exception? inner) => FerryException.Invalid(
        "LABEL_SINGLE_CLASS",
        $"'{folder}' holds images of one class only: there is nothing to tell apart. Put each class's images in a subfolder named by the class (root/<label>/*.png), at least two classes",
        new SourceLocation(folder),
        inner);

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
}
