using System.Globalization;

namespace Ferry.Data.Loading.Csv;

/// <summary>
/// How one CSV field is classified: missing, a number, and whether a number's spelling is the
/// canonical one <see cref="Tables.NumericColumn.Format"/> would produce (so it need not be kept).
/// </summary>
internal static class CsvValues
{
    /// <summary>The tokens read as missing, besides the empty field (compared case-insensitively).</summary>
    public static readonly IReadOnlyList<string> MissingTokens = ["NA", "NaN", "?", "null", "N/A"];

    /// <summary>Whether a field (already trimmed when it was unquoted) means "no value".</summary>
    public static bool IsMissing(ReadOnlySpan<char> text)
    {
        switch (text.Length)
        {
            case 0:
                return true;
            case 1:
                return text[0] == '?';
            case 2:
                return text.Equals("NA", StringComparison.OrdinalIgnoreCase);
            case 3:
                return text.Equals("NaN", StringComparison.OrdinalIgnoreCase) || text.Equals("N/A", StringComparison.OrdinalIgnoreCase);
            case 4:
                return text.Equals("null", StringComparison.OrdinalIgnoreCase);
            default:
                return false;
        }
    }

    /// <summary>
    /// Parses an invariant-culture number (sign, exponent, surrounding spaces, <c>inf</c>/<c>Infinity</c>).
    /// With <paramref name="decimalComma"/>, a value with a single comma and no point, such as <c>1,5</c>,
    /// is read as a decimal. NaN spellings are not numbers here: they are missing tokens or text.
    /// </summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, bool decimalComma, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return !double.IsNaN(value);
        }

        return TryParseInfinity(text, out value) || (decimalComma && TryParseDecimalComma(text, out value));
    }

    /// <summary>
    /// Parses a number as <see cref="TryParseNumber(ReadOnlySpan{char}, bool, out double)"/> does and also says whether its
    /// spelling is canonical (<see cref="IsCanonical"/>). Plain decimals of up to 15 digits, nearly every value in
    /// real files, are parsed in one pass without the general parser.
    /// </summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, bool decimalComma, out double value, out bool canonical)
    {
        if (TryParsePlainDecimal(text, out value, out canonical))
        {
            return true;
        }

        canonical = false;
        if (!TryParseNumber(text, decimalComma, out value))
        {
            return false;
        }

        canonical = IsCanonical(text);
        return true;
    }

    /// <summary>
    /// Whether formatting the parsed value of <paramref name="text"/> gives <paramref name="text"/> back exactly.
    /// It is deliberately conservative: it may answer false for a canonical spelling (the text is then kept,
    /// which costs memory but loses nothing), and must never answer true for one that is not.
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (text.Length > 0 && text[0] == '-')
        {
            i = 1;
        }

        var intStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var intDigits = i - intStart;
        if (intDigits == 0 || (intDigits > 1 && text[intStart] == '0'))
        {
            return false;
        }

        var significant = text[intStart] == '0' ? 0 : intDigits;
        if (i == text.Length)
        {
            // Integers: 15 digits always format back in full; 1E+15 and beyond switch to exponent form.
            return significant <= 15;
        }

        if (text[i] != '.')
        {
            return false;
        }

        i++;
        var fracStart = i;
        var leadingFractionZeros = 0;
        var seenNonZero = significant > 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            if (!seenNonZero && text[i] == '0')
            {
                leadingFractionZeros++;
            }
            else
            {
                seenNonZero = true;
                significant++;
            }

            i++;
        }

        var fracDigits = i - fracStart;
        if (i != text.Length || fracDigits == 0 || text[^1] == '0' || significant > 15)
        {
            return false;
        }

        // Values below 1E-04 format in exponent form ("1.2E-05"), so 0.0000x spellings are not canonical.
        return significant == 0 || text[intStart] != '0' || leadingFractionZeros <= 3;
    }

    // Powers of ten that are exact doubles: a mantissa below 2^53 divided by one of them is correctly rounded
    // (Clinger's fast path), so the result equals what double.Parse gives.
    private static ReadOnlySpan<double> ExactPowersOfTen =>
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    private static bool TryParsePlainDecimal(ReadOnlySpan<char> text, out double value, out bool canonical)
    {
        value = 0;
        canonical = false;
        var i = 0;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            i = 1;
        }

        var intStart = i;
        ulong mantissa = 0;
        var significant = 0;
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            var digit = (uint)(text[i] - '0');
            significant += mantissa != 0 || digit != 0 ? 1 : 0;
            mantissa = (mantissa * 10) + digit;
            i++;
        }

        var intDigits = i - intStart;
        var fractionDigits = 0;
        var leadingFractionZeros = 0;
        var hasPoint = i < text.Length && text[i] == '.';
        if (hasPoint)
        {
            i++;
            var fractionStart = i;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                var digit = (uint)(text[i] - '0');
                if (mantissa != 0 || digit != 0)
                {
                    significant++;
                }
                else
                {
                    leadingFractionZeros++;
                }

                mantissa = (mantissa * 10) + digit;
                i++;
            }

            fractionDigits = i - fractionStart;
        }

        // Anything else (exponents, spaces, long mantissas, infinities) goes to the general parser.
        if (i != text.Length || intDigits + fractionDigits == 0 || significant > 15 || fractionDigits >= ExactPowersOfTen.Length)
        {
            return false;
        }

        var magnitude = fractionDigits == 0 ? mantissa : mantissa / ExactPowersOfTen[fractionDigits];
        value = text[0] == '-' ? -magnitude : magnitude;
        canonical = text[0] != '+'
            && intDigits > 0
            && (intDigits == 1 || text[intStart] != '0')
            && (!hasPoint || (fractionDigits > 0 && text[^1] != '0' && (text[intStart] != '0' || leadingFractionZeros <= 3)));
        return true;
    }

    private static bool TryParseInfinity(ReadOnlySpan<char> text, out double value)
    {
        var t = text.Trim();
        var negative = false;
        if (t.Length > 0 && (t[0] == '-' || t[0] == '+'))
        {
            negative = t[0] == '-';
            t = t[1..];
        }

        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        value = 0;
        return false;
    }

    private static bool TryParseDecimalComma(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        var comma = text.IndexOf(',');
        if (comma < 0 || text.Length > 64 || text[(comma + 1)..].Contains(',') || text.Contains('.'))
        {
            return false;
        }

        Span<char> copy = stackalloc char[text.Length];
        text.CopyTo(copy);
        copy[comma] = '.';
        return double.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
    }
}
