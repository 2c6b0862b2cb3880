using Ferry.Data.Schema;

namespace Ferry.Learn;

/// <summary>
/// What a model reads and returns, as recorded at training time: the input columns with their kinds, the
/// categories and numeric ranges seen in training (so serving can flag values it never saw), the label and its classes.
/// </summary>
/// <param name="Inputs">The input columns, in training order.</param>
/// <param name="Task">Binary, multiclass or regression.</param>
/// <param name="Label">The label column's name in the training data.</param>
/// <param name="Classes">The class labels in probability-column order; empty for regression.</param>
/// <param name="Image">The input image shape for image models; null for tabular models.</param>
public sealed record ModelSignature(
    IReadOnlyList<InputColumn> Inputs,
    TaskKind Task,
    string Label,
    IReadOnlyList<string> Classes,
    ImageShape? Image = null);

/// <summary>One input column of a signature.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Kind">How the model treats it (numeric, categorical, boolean, datetime, text, image).</param>
/// <param name="Categories">The categories seen in training (categorical and boolean columns); null otherwise.</param>
/// <param name="Min">The smallest value seen in training (numeric columns); null otherwise.</param>
/// <param name="Max">The largest value seen in training (numeric columns); null otherwise.</param>
/// <param name="MissingRate">The share of training rows where it was missing (0 to 1).</param>
public sealed record InputColumn(
    string Name,
    ColumnKind Kind,
    IReadOnlyList<string>? Categories = null,
    double? Min = null,
    double? Max = null,
    double MissingRate = 0);

/// <summary>The shape images are resized to before they reach an image model.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">1 for grey, 3 for RGB.</param>
public sealed record ImageShape(int Width, int Height, int Channels);
