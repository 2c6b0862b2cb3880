using System.Globalization;
using Ferry.Data.Images;
using Ferry.Data.Tables;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// How a table row holds an image, for image models trained from such tables (the digits sample): one numeric
/// column per sample, row-major from the top-left with channels interleaved, values from 0 to <see cref="MaxValue"/>.
/// Serving converts rows exactly as <see cref="DigitsImages"/> did in training.
/// </summary>
/// <param name="Columns">The sample columns in order.</param>
/// <param name="Width">Image width.</param>
/// <param name="Height">Image height.</param>
/// <param name="Channels">1 or 3.</param>
/// <param name="MaxValue">The value that means full intensity (255 after conversion).</param>
public sealed record PixelTable(IReadOnlyList<string> Columns, int Width, int Height, int Channels, double MaxValue)
{
    /// <summary>The 8x8 digits layout: p0..p63, counts 0 to 16.</summary>
    public static PixelTable Digits { get; } = new(
        [.. Enumerable.Range(0, DigitsImages.Side * DigitsImages.Side).Select(i => "p" + i.ToString(CultureInfo.InvariantCulture))],
        DigitsImages.Side, DigitsImages.Side, 1, DigitsImages.MaxValue);

    /// <summary>Turns each row into an image (ids <c>row-N</c>, 1-based; labels empty).</summary>
    /// <exception cref="FerryException">INPUT_INVALID naming the missing or text column, or the row and column of a value out of range.</exception>
    public IReadOnlyList<ImageItem> ToImages(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (Columns.Count != Width * Height * Channels)
        {
            throw new InvalidOperationException($"{Columns.Count} pixel columns do not make a {Width}x{Height}x{Channels} image");
        }

        var columns = Columns.Select(name => table.TryGetColumn(name, out var column)
            ? column as NumericColumn ?? throw Invalid($"column '{name}' holds text; pixel columns must be numbers from 0 to {Format(MaxValue)}")
            : throw Invalid($"the input has no column '{name}'; this image model reads {Columns.Count} pixel columns ({Columns[0]}..{Columns[^1]})")).ToArray();
        var images = new ImageItem[table.RowCount];
        for (var row = 0; row < images.Length; row++)
        {
            var samples = new byte[columns.Length];
            for (var p = 0; p < samples.Length; p++)
            {
                var value = columns[p][row];
                samples[p] = value >= 0 && value <= MaxValue
                    ? (byte)Math.Round(value * 255 / MaxValue, MidpointRounding.AwayFromZero)
                    : throw Invalid($"row {row + 1}, column '{columns[p].Name}' holds {NumericColumn.Format(value) ?? "nothing"}; pixels must be from 0 to {Format(MaxValue)}");
            }

            images[row] = new ImageItem($"row-{row + 1}", "", Width, Height, Channels, samples);
        }

        return images;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static FerryException Invalid(string message) => FerryException.Invalid("INPUT_INVALID", message);
}
