using System.Globalization;

namespace Ferry.Data.Schema;

/// <summary>Sorts class names the way a user expects: by number when every name is a number ("2" before "10"), otherwise ordinally.</summary>
internal static class ClassOrder
{
    /// <summary>The names in display order.</summary>
    public static List<string> Sort(IEnumerable<string> names)
    {
        var list = names.ToList();
        var numbers = new double[list.Count];
        var allNumbers = true;
        for (var i = 0; i < list.Count && allNumbers; i++)
        {
            allNumbers = TryNumber(list[i], out numbers[i]);
        }

        if (!allNumbers)
        {
            list.Sort(StringComparer.Ordinal);
            return list;
        }

        var order = Enumerable.Range(0, list.Count)
            .OrderBy(i => numbers[i])
            .ThenBy(i => list[i], StringComparer.Ordinal)
            .Select(i => list[i])
            .ToList();
        return order;
    }

    /// <summary>Parses invariant-culture numbers, rejecting NaN, which has no place in an order.</summary>
    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
}
