using System.Text;

namespace Ferry.Tracking.Search;

/// <summary>
/// LIKE patterns: <c>%</c> matches any run of characters, <c>_</c> one character, and a backslash makes the next
/// character literal (PostgreSQL's default escape, made explicit for SQLite with <c>ESCAPE '\'</c>).
/// </summary>
internal static class LikePattern
{
    /// <summary>Refuses a pattern ending in a lone backslash, which PostgreSQL would reject at run time.</summary>
    public static void Validate(string pattern, int position)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                if (i == pattern.Length - 1)
                {
                    throw SearchErrors.Invalid(
                        $"LIKE pattern '{pattern}' at position {position} ends with the escape character '\\': " +
                        "write '\\\\' for a literal backslash.");
                }

                i++;
            }
        }
    }

    /// <summary>
    /// Rewrites a LIKE pattern as an SQLite GLOB pattern, which is case-sensitive whatever the connection's
    /// <c>case_sensitive_like</c> setting: <c>%</c> becomes <c>*</c>, <c>_</c> becomes <c>?</c>, and characters
    /// special to GLOB are wrapped in brackets so they match themselves.
    /// </summary>
    public static string ToGlob(string pattern)
    {
        var builder = new StringBuilder(pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                i++;
                AppendLiteral(builder, pattern[i]);
            }
            else if (c == '%')
            {
                builder.Append('*');
            }
            else if (c == '_')
            {
                builder.Append('?');
            }
            else
            {
                AppendLiteral(builder, c);
            }
        }

        return builder.ToString();
    }

    private static void AppendLiteral(StringBuilder builder, char c)
    {
        if (c is '*' or '?' or '[')
        {
            builder.Append('[').Append(c).Append(']');
        }
        else
        {
            builder.Append(c);
        }
    }
}
