using Ferry.Learn.Search;
using Ferry.Learn.Torch.Images;

namespace Ferry.Cli.Commands;

/// <summary>Which search <c>ferry train</c> runs: the tabular zoo for a table, the image search for an image folder or a pixel table.</summary>
internal static class TrainSearches
{
    /// <summary>The <c>--pixels</c> option's help: the digits layout is the one pixel table Ferry reads.</summary>
    public const string PixelsDescription =
        "The table's columns p0..p63 are the pixels (0-16) of an 8x8 gray image, as in samples/digits.csv: search the image CNN instead of the tabular zoo; the model then predicts from such rows";

    /// <summary>The search for <paramref name="data"/>: images when it is a folder or <paramref name="pixels"/> is set, the tabular zoo otherwise.</summary>
    /// <param name="context">The clock.</param>
    /// <param name="data">The table or image folder.</param>
    /// <param name="pixels">Whether a table's columns are pixels.</param>
    /// <exception cref="FerryException">Usage TRAIN_PIXELS_FOLDER when <paramref name="pixels"/> is given with an image folder.</exception>
    public static IModelSearch For(CliContext context, string data, bool pixels)
    {
        var folder = Directory.Exists(data);
        if (folder && pixels)
        {
            throw FerryException.Usage("TRAIN_PIXELS_FOLDER", $"'{data}' is an image folder, which is searched as images without --pixels; --pixels is for a table whose columns are pixels");
        }

        return folder || pixels ? new ImageSearch(ImageSearch.DefaultZoo(), context.Time) : new AutoSearch(CliContext.Zoo(), context.Time);
    }
}
