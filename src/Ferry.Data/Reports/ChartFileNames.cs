using System.Globalization;
using System.Text;

namespace Ferry.Data.Reports;

/// <summary>
/// File names for column charts that are safe on every file system whatever the column is called: a running
/// number keeps them distinct (also after sanitising and on case-insensitive disks) and in column order, and
/// a readable ASCII slug of the name follows. No name can hold a separator, "..", or a reserved device name.
/// </summary>
internal static class ChartFileNames
{
    private const int MaxSlugLength = 40;

    /// <summary>One name per column, in order, for example <c>003-sepal_length.png</c>.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<string> columnNames)
    {
        var digits = Math.Max(3, columnNames.Count.ToString(CultureInfo.InvariantCulture).Length);
        var names = new string[columnNames.Count];
        for (var i = 0; i < names.Length; i++)
        {
            var number = (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
            names[i] = $"{number}-{Slug(columnNames[i])}.png";
        }

        return names;
    }

    /// <summary>Lower-case ASCII letters, digits and underscores; every run of other characters becomes one dash.</summary>
    internal static string Slug(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, MaxSlugLength));
        var pendingDash = false;
        // No transliteration of accents: the build runs with invariant globalization, where Unicode
        // normalization is unavailable; the running number keeps such names distinct anyway.
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                if (pendingDash && builder.Length > 0)
                {
                    builder.Append('-');
                }

                pendingDash = false;
                builder.Append(char.ToLowerInvariant(c));
                if (builder.Length >= MaxSlugLength)
                {
                    break;
                }
            }
            else
            {
                pendingDash = true;
            }
        }

        return builder.Length == 0 ? "column" : builder.ToString();
    }
}
