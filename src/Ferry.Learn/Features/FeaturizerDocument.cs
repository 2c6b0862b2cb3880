namespace Ferry.Learn.Features;

/// <summary>The JSON form of a fitted featurizer (<c>features.json</c>).</summary>
/// <param name="Version">The file layout version.</param>
/// <param name="Scale">Whether numeric features are standardised.</param>
/// <param name="Inputs">The input columns with what training saw of them.</param>
/// <param name="Encoders">One encoder per used input column, in feature order.</param>
/// <param name="Dropped">Columns left out, with why.</param>
internal sealed record FeaturizerDocument(
    int Version,
    bool Scale,
    IReadOnlyList<InputColumn> Inputs,
    IReadOnlyList<ColumnEncoder> Encoders,
    IReadOnlyList<DroppedColumn> Dropped);

/// <summary>A column the featurizer does not use.</summary>
/// <param name="Column">The column name.</param>
/// <param name="Reason">Why, for people.</param>
public sealed record DroppedColumn(string Column, string Reason);
