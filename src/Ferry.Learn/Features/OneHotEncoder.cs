using System.Text.Json.Serialization;
using Ferry.Data.Tables;

namespace Ferry.Learn.Features;

/// <summary>
/// A low-cardinality categorical or boolean column: one 0/1 column per category seen in training, one for any
/// other (unseen) value and one for missing. Unseen values and missing values never fail.
/// </summary>
/// <param name="Column">The input column.</param>
/// <param name="Categories">The categories seen in training, most frequent first.</param>
internal sealed record OneHotEncoder(string Column, IReadOnlyList<string> Categories) : ColumnEncoder(Column)
{
    private Dictionary<string, int>? _slots;

    /// <inheritdoc />
    [JsonIgnore]
    public override int Width => Categories.Count + 2;

    private int OtherSlot => Categories.Count;

    private int MissingSlot => Categories.Count + 1;

    /// <inheritdoc />
    public override IEnumerable<string> FeatureNames() =>
        Categories.Select(c => $"{Column}={c}").Append($"{Column}=(other)").Append($"{Column}=(missing)");

    /// <inheritdoc />
    public override string Describe(bool scaled) =>
        $"{Column}: one-hot over {Categories.Count} categories, plus unseen and missing";

    /// <inheritdoc />
    public override void Encode(Column column, bool scale, float[] values, int stride, int offset)
    {
        var slots = _slots ??= Categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var slotOf = ColumnValues.Map(column, (text, _) => Slot(slots, text), MissingSlot);
        for (var r = 0; r < slotOf.Length; r++)
        {
            values[r * stride + offset + slotOf[r]] = 1;
        }
    }

    private int Slot(Dictionary<string, int> slots, string text) =>
        slots.TryGetValue(text, out var slot) || slots.TryGetValue(CategoryText.Canonical(text), out slot) ? slot : OtherSlot;
}
