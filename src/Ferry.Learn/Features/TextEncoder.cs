using System.Text.Json.Serialization;
using Ferry.Data.Tables;

namespace Ferry.Learn.Features;

/// <summary>
/// A free-text column as hashed word unigrams and bigrams: lower-cased runs of letters and digits are words, each
/// word and each pair of neighbouring words adds one to a hash bucket, and the row's counts are scaled to unit
/// length (L2), so long and short texts weigh the same. Missing text is all zeros.
/// </summary>
/// <param name="Column">The input column.</param>
/// <param name="Buckets">How many hash buckets.</param>
internal sealed record TextEncoder(string Column, int Buckets) : ColumnEncoder(Column)
{
    /// <inheritdoc />
    [JsonIgnore]
    public override int Width => Buckets;

    /// <inheritdoc />
    public override IEnumerable<string> FeatureNames() => Enumerable.Range(0, Buckets).Select(b => $"{Column}~{b}");

    /// <inheritdoc />
    public override string Describe(bool scaled) =>
        $"{Column}: text, word unigrams and bigrams hashed into {Buckets} buckets, L2-normalised term frequencies";

    /// <inheritdoc />
    public override void Encode(Column column, bool scale, float[] values, int stride, int offset)
    {
        for (var r = 0; r < column.Length; r++)
        {
            if (column.GetText(r) is { } text)
            {
                Count(text, values.AsSpan(r * stride + offset, Buckets));
            }
        }
    }

    /// <summary>Adds the text's unigram and bigram counts into <paramref name="row"/>, then scales it to unit length.</summary>
    internal void Count(string text, Span<float> row)
    {
        uint previous = 0;
        var hasPrevious = false;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            var word = StableHash.Seed;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                word = StableHash.Append(word, char.ToLowerInvariant(text[i]));
                i++;
            }

            row[StableHash.Bucket(word, Buckets)]++;
            if (hasPrevious)
            {
                // A pair hashes the first word's hash then the second's, so "a b" and "b a" differ.
                row[StableHash.Bucket(Mix(previous, word), Buckets)]++;
            }

            previous = word;
            hasPrevious = true;
        }

        var norm = 0.0;
        foreach (var v in row)
        {
            norm += v * v;
        }

        if (norm > 0)
        {
            var scale = (float)(1 / Math.Sqrt(norm));
            for (var b = 0; b < row.Length; b++)
            {
                row[b] *= scale;
            }
        }
    }

    private static uint Mix(uint first, uint second)
    {
        var h = (first ^ 0x9E3779B9u) * 16777619u;
        return (h ^ second) * 16777619u;
    }
}
