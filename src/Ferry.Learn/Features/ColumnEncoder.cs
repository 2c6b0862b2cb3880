using System.Text.Json.Serialization;
using Ferry.Data.Tables;

namespace Ferry.Learn.Features;

/// <summary>
/// Turns one input column into a fixed number of feature columns. Encoders are fitted on training data and
/// then only read: <see cref="Encode"/> is pure, so one featurizer serves many threads. They are saved as JSON,
/// told apart by the <c>encoding</c> property.
/// </summary>
/// <param name="Column">The input column it reads.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "encoding")]
[JsonDerivedType(typeof(NumericEncoder), "numeric")]
[JsonDerivedType(typeof(OneHotEncoder), "oneHot")]
[JsonDerivedType(typeof(HashedCategoryEncoder), "hashedCategory")]
[JsonDerivedType(typeof(DateTimeEncoder), "dateTime")]
[JsonDerivedType(typeof(TextEncoder), "text")]
internal abstract record ColumnEncoder(string Column)
{
    /// <summary>How many feature columns it writes.</summary>
    [JsonIgnore]
    public abstract int Width { get; }

    /// <summary>The names of the feature columns it writes, <see cref="Width"/> of them.</summary>
    public abstract IEnumerable<string> FeatureNames();

    /// <summary>One line for people: what happens to the column.</summary>
    public abstract string Describe(bool scaled);

    /// <summary>
    /// Writes <see cref="Width"/> values per row into <paramref name="values"/> at <c>row * stride + offset</c>.
    /// The array starts zeroed, so sparse encoders only set their ones.
    /// </summary>
    /// <exception cref="FerryException">INPUT_INVALID when a value cannot be read (naming the column and row).</exception>
    public abstract void Encode(Column column, bool scale, float[] values, int stride, int offset);
}
