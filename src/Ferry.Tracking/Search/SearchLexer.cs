using System.Text;

namespace Ferry.Tracking.Search;

/// <summary>The kinds of token in MLflow's search language.</summary>
internal enum TokenKind
{
    /// <summary>A bare or quoted, possibly dotted name: <c>metrics.val.loss</c>, <c>tags."a-b"</c>, <c>AND</c>.</summary>
    Identifier,

    /// <summary>A single- or double-quoted string.</summary>
    String,

    /// <summary>A numeric literal.</summary>
    Number,

    /// <summary>A run of comparison characters such as <c>&gt;=</c> (validated by the parser, so <c>&gt;&gt;</c> is one token).</summary>
    Operator,

    /// <summary><c>(</c></summary>
    LeftParen,

    /// <summary><c>)</c></summary>
    RightParen,

    /// <summary><c>,</c></summary>
    Comma,

    /// <summary><c>;</c></summary>
    Semicolon,

    /// <summary>The end of the input.</summary>
    End,
}

/// <summary>One part of a dotted identifier.</summary>
/// <param name="Text">The part without its quotes.</param>
/// <param name="Quote">The quote character used (<c>"</c> or <c>`</c>), or NUL for a bare part.</param>
internal readonly record struct IdentifierPart(string Text, char Quote)
{
    public bool IsQuoted => Quote != '\0';
}

/// <summary>A token with its 1-based character position in the input.</summary>
internal sealed record SearchToken(TokenKind Kind, string Text, int Position, IReadOnlyList<IdentifierPart>? Parts = null)
{
    /// <summary>For strings, the quote character used.</summary>
    public char Quote { get; init; }

    /// <summary>True for a bare, undotted word equal (ignoring case) to <paramref name="keyword"/>.</summary>
    public bool IsKeyword(string keyword) =>
        Kind == TokenKind.Identifier && Parts is [{ IsQuoted: false } part] &&
        string.Equals(part.Text, keyword, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Splits a search string into tokens. It follows what sqlparse (which MLflow uses) groups, so the parser can
/// report MLflow's errors, but it also records positions so every error can name where it is.
/// </summary>
internal static class SearchLexer
{
    public static List<SearchToken> Tokenize(string text)
    {
        var tokens = new List<SearchToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new SearchToken(TokenKind.End, "", text.Length + 1));
                return tokens;
            }

            var c = text[i];
            var start = i;
            if (c is '\'' or '"')
            {
                var value = ReadQuoted(text, ref i, c);
                tokens.Add(new SearchToken(TokenKind.String, value, start + 1) { Quote = c });
            }
            else if (char.IsAsciiDigit(c) || ((c is '-' or '.') && StartsNumber(text, i)))
            {
                tokens.Add(new SearchToken(TokenKind.Number, ReadNumber(text, ref i), start + 1));
            }
            else if (IsWordChar(c) || c == '`')
            {
                var parts = ReadIdentifier(text, ref i);
                tokens.Add(new SearchToken(TokenKind.Identifier, text[start..i], start + 1, parts));
            }
            else if (c is '<' or '>' or '=' or '!' or '~')
            {
                while (i < text.Length && text[i] is '<' or '>' or '=' or '!' or '~')
                {
                    i++;
                }

                tokens.Add(new SearchToken(TokenKind.Operator, text[start..i], start + 1));
            }
            else
            {
                var kind = c switch
                {
                    '(' => TokenKind.LeftParen,
                    ')' => TokenKind.RightParen,
                    ',' => TokenKind.Comma,
                    ';' => TokenKind.Semicolon,
                    _ => throw SearchErrors.Invalid(
                        $"Unexpected character '{c}' at position {start + 1}. Keys with special characters must be quoted, " +
                        "for example tags.\"user-name\" or metrics.`val-loss`."),
                };
                i++;
                tokens.Add(new SearchToken(kind, c.ToString(), start + 1));
            }
        }
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static bool StartsNumber(string text, int i)
    {
        if (text[i] == '-')
        {
            i++;
            if (i < text.Length && text[i] == '.')
            {
                i++;
            }
        }
        else
        {
            i++; // the leading '.'
        }

        return i < text.Length && char.IsAsciiDigit(text[i]);
    }

    private static string ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] == '-')
        {
            i++;
        }

        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-')
            {
                j++;
            }

            if (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                i = j;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
        }

        // "1abc" is neither a number nor a name: say so rather than splitting it silently.
        if (i < text.Length && IsWordChar(text[i]))
        {
            var end = i;
            while (end < text.Length && IsWordChar(text[end]))
            {
                end++;
            }

            throw SearchErrors.Invalid($"Invalid number '{text[start..end]}' at position {start + 1}.");
        }

        return text[start..i];
    }

    /// <summary>
    /// Reads a quoted string: a doubled quote or a backslash before the quote stands for the quote itself; other
    /// backslashes are kept as written (so LIKE patterns keep their escapes) and a doubled one never ends the string.
    /// </summary>
    private static string ReadQuoted(string text, ref int i, char quote)
    {
        var start = i;
        var builder = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] == quote)
            {
                builder.Append(quote);
                i += 2;
            }
            else if (c == '\\' && i + 1 < text.Length && text[i + 1] == '\\')
            {
                // Kept as written: it is a literal backslash to LIKE, and it must not escape a closing quote.
                builder.Append("\\\\");
                i += 2;
            }
            else if (c == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    builder.Append(quote);
                    i += 2;
                }
                else
                {
                    i++;
                    return builder.ToString();
                }
            }
            else
            {
                builder.Append(c);
                i++;
            }
        }

        throw SearchErrors.Invalid($"Unterminated string starting at position {start + 1}: add the closing {quote}.");
    }

    private static List<IdentifierPart> ReadIdentifier(string text, ref int i)
    {
        var parts = new List<IdentifierPart>();
        while (true)
        {
            var c = text[i];
            if (c == '`' || (c == '"' && parts.Count > 0))
            {
                var start = i;
                var end = text.IndexOf(c, i + 1);
                if (end < 0)
                {
                    throw SearchErrors.Invalid($"Unterminated quoted key starting at position {start + 1}: add the closing {c}.");
                }

                parts.Add(new IdentifierPart(text[(i + 1)..end], c));
                i = end + 1;
            }
            else if (IsWordChar(c))
            {
                var start = i;
                while (i < text.Length && IsWordChar(text[i]))
                {
                    i++;
                }

                parts.Add(new IdentifierPart(text[start..i], '\0'));
            }
            else
            {
                throw SearchErrors.Invalid(
                    $"Invalid identifier at position {i + 1}: expected a name or a quoted key after '.', found '{c}'.");
            }

            if (i < text.Length && text[i] == '.' && i + 1 < text.Length && (IsWordChar(text[i + 1]) || text[i + 1] is '`' or '"'))
            {
                i++;
                continue;
            }

            if (i < text.Length && text[i] == '.')
            {
                throw SearchErrors.Invalid($"Invalid identifier at position {i + 1}: a key must follow the '.'.");
            }

            return parts;
        }
    }

    /// <summary>How to name a token in an error message.</summary>
    internal static string Describe(SearchToken token) => token.Kind switch
    {
        TokenKind.End => "the end of the input",
        TokenKind.String => $"{token.Quote}{token.Text}{token.Quote}",
        _ => $"'{token.Text}'",
    };
}
