using System.Globalization;
using Ferry.Data.Tables;

namespace Ferry.Learn.Features;

/// <summary>
/// How category values are compared: as written, except that numbers compare by value ("1.0" is "1"). Public so
/// serving checks a request's categories against a signature the way the featurizer will read them.
/// </summary>
public static class CategoryText
{
    /// <summary>The canonical form of a value: numbers in invariant round-trip form, anything else trimmed.</summary>
    public static string Canonical(string text)
    {
        var trimmed = text.Trim();
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v)
            ? NumericColumn.Format(v == 0 ? 0 : v)!
            : trimmed;
    }
}
