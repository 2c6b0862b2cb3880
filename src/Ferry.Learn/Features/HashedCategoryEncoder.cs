using System.Text.Json.Serialization;
using Ferry.Data.Tables;

namespace Ferry.Learn.Features;

/// <summary>
/// A high-cardinality categorical column: each value is hashed into one of a fixed number of 0/1 buckets (collisions
/// share a bucket), plus a column for missing. Any value, seen or not, lands in a bucket.
/// </summary>
/// <param name="Column">The input column.</param>
/// <param name="Buckets">How many hash buckets.</param>
/// <param name="Seen">How many distinct values training had (for the description).</param>
internal sealed record HashedCategoryEncoder(string Column, int Buckets, int Seen) : ColumnEncoder(Column)
{
    /// <inheritdoc />
    [JsonIgnore]
    public override int Width => Buckets + 1;

    /// <inheritdoc />
    public override IEnumerable<string> FeatureNames() =>
        Enumerable.Range(0, Buckets).Select(b => $"{Column}#{b}").Append($"{Column}=(missing)");

    /// <inheritdoc />
    public override string Describe(bool scaled) =>
        $"{Column}: {Seen} categories hashed into {Buckets} buckets, plus missing";

    /// <inheritdoc />
    public override void Encode(Column column, bool scale, float[] values, int stride, int offset)
    {
        var slotOf = ColumnValues.Map(column, (text, _) => StableHash.Bucket(StableHash.Of(CategoryText.Canonical(text)), Buckets), Buckets);
        for (var r = 0; r < slotOf.Length; r++)
        {
            values[r * stride + offset + slotOf[r]] = 1;
        }
    }
}
