using System.Globalization;
using Ferry.Data.Tables;

namespace Ferry.Data.Images;

/// <summary>
/// Turns the 8x8 handwritten digits table (samples/digits.csv: pixel counts 0-16 in columns p0..p63, row-major
/// from the top-left, plus a label) into grayscale images, so the image path can be developed and tested on a
/// small real dataset.
/// </summary>
public static class DigitsImages
{
    /// <summary>The side of a digit image in pixels.</summary>
    public const int Side = 8;

    /// <summary>The largest pixel count in the table; it maps to 255.</summary>
    public const double MaxValue = 16;

    /// <summary>Builds one 8x8 gray image per row, with id "row-N" (1-based) and the label column's text as label.</summary>
    /// <param name="table">A table with numeric columns p0..p63 and a label column.</param>
    /// <param name="label">The label column's name.</param>
    /// <exception cref="FerryException">
    /// <c>DIGITS_COLUMNS_MISSING</c>, <c>DIGITS_COLUMN_NOT_NUMERIC</c>, <c>DIGITS_EXTRA_PIXEL_COLUMN</c>,
    /// <c>DIGITS_LABEL_MISSING</c> or <c>DIGITS_VALUE_OUT_OF_RANGE</c>, each naming the column (and row) at fault.
    /// </exception>
    public static ImageDataset FromTable(Table table, string label = "label")
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(label);
        var pixels = PixelColumns(table);
        if (!table.TryGetColumn(label, out var labels))
        {
            throw FerryException.Invalid("DIGITS_COLUMNS_MISSING", $"the table has no label column '{label}'; name the column that holds the digit.");
        }

        var items = new ImageItem[table.RowCount];
        for (var row = 0; row < table.RowCount; row++)
        {
            var text = labels.GetText(row) ?? throw FerryException.Invalid(
                "DIGITS_LABEL_MISSING", $"row {row + 1} has no label in column '{label}'; every image needs one.");
            var samples = new byte[Side * Side];
            for (var p = 0; p < samples.Length; p++)
            {
                var value = pixels[p][row];
                if (!(value >= 0 && value <= MaxValue))
                {
                    throw FerryException.Invalid(
                        "DIGITS_VALUE_OUT_OF_RANGE",
                        $"row {row + 1}, column '{pixels[p].Name}' holds {NumericColumn.Format(value) ?? "nothing"}; digit pixels must be counts from 0 to 16.");
                }

                samples[p] = (byte)Math.Round(value * 255 / MaxValue, MidpointRounding.AwayFromZero);
            }

            items[row] = new ImageItem($"row-{row + 1}", text, Side, Side, 1, samples);
        }

        return new ImageDataset(items);
    }

    private static NumericColumn[] PixelColumns(Table table)
    {
        var columns = new NumericColumn[Side * Side];
        var missing = new List<string>();
        for (var p = 0; p < columns.Length; p++)
        {
            var name = "p" + p.ToString(CultureInfo.InvariantCulture);
            if (!table.TryGetColumn(name, out var column))
            {
                missing.Add(name);
                continue;
            }

            columns[p] = column as NumericColumn ?? throw FerryException.Invalid(
                "DIGITS_COLUMN_NOT_NUMERIC", $"pixel column '{name}' holds text; digit pixels must be numbers from 0 to 16.");
        }

        if (missing.Count > 0)
        {
            var shown = string.Join(", ", missing.Take(8)) + (missing.Count > 8 ? $" and {missing.Count - 8} more" : "");
            throw FerryException.Invalid(
                "DIGITS_COLUMNS_MISSING",
                $"an 8x8 digits table needs 64 numeric pixel columns p0..p63 (row-major from the top-left); missing: {shown}.");
        }

        // A p64 or beyond means the images are not 8x8; cutting them to 64 pixels would silently scramble them.
        var extra = table.Columns.Select(c => c.Name).FirstOrDefault(IsPixelNameBeyond63);
        if (extra is not null)
        {
            throw FerryException.Invalid(
                "DIGITS_EXTRA_PIXEL_COLUMN",
                $"column '{extra}' suggests more than 64 pixels; this table holds exactly 64 (p0..p63) for 8x8 images.");
        }

        return columns;
    }

    private static bool IsPixelNameBeyond63(string name) =>
        name.Length > 1 && name[0] == 'p'
        && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
        && index >= Side * Side;
}
