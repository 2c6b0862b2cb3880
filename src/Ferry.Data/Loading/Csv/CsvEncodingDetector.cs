using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Ferry.Data.Loading.Csv;

/// <summary>The text encoding chosen for a file.</summary>
/// <param name="Encoding">The encoding to decode with.</param>
/// <param name="PreambleLength">Bytes of byte-order mark to skip.</param>
/// <param name="DisplayName">How the encoding is named in the load's format, for example "UTF-8".</param>
/// <param name="Note">What the user should know about the choice, if anything.</param>
/// <param name="Replacements">Counts invalid sequences replaced while decoding, when the encoding is detected UTF-8.</param>
internal sealed record CsvEncoding(Encoding Encoding, int PreambleLength, string DisplayName, string? Note, CountingDecoderFallback? Replacements);

/// <summary>
/// Chooses how to decode a file from its first block: a byte-order mark wins; NUL bytes without one mean
/// the file is binary; otherwise UTF-8 when the block is valid UTF-8, else Windows-1252 (Latin-1).
/// </summary>
internal static class CsvEncodingDetector
{
    /// <summary>How many leading bytes the detection looks at.</summary>
    public const int HeadSize = 64 * 1024;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> Utf32LeBom => [0xFF, 0xFE, 0x00, 0x00];

    private static ReadOnlySpan<byte> Utf32BeBom => [0x00, 0x00, 0xFE, 0xFF];

    private static ReadOnlySpan<byte> Utf16LeBom => [0xFF, 0xFE];

    private static ReadOnlySpan<byte> Utf16BeBom => [0xFE, 0xFF];

    /// <summary>Chooses the encoding for a file that starts with <paramref name="head"/>.</summary>
    /// <param name="head">The first bytes of the file (up to <see cref="HeadSize"/>).</param>
    /// <param name="isWholeFile">Whether <paramref name="head"/> is the whole file.</param>
    /// <param name="forced">The encoding the caller asked for, if any.</param>
    /// <param name="source">The file name, for errors.</param>
    /// <exception cref="FerryException">The file looks binary (code <c>CSV_BINARY</c>).</exception>
    public static CsvEncoding Detect(ReadOnlySpan<byte> head, bool isWholeFile, Encoding? forced, string source)
    {
        if (forced is not null)
        {
            var preamble = forced.Preamble;
            var skip = preamble.Length > 0 && head.StartsWith(preamble) ? preamble.Length : 0;
            if (!IsWide(forced))
            {
                RejectBinary(head[skip..], source);
            }

            return new CsvEncoding(forced, skip, forced.WebName.ToUpperInvariant(), null, null);
        }

        if (head.StartsWith(Utf8Bom))
        {
            var replacements = new CountingDecoderFallback();
            RejectBinary(head[3..], source);
            return new CsvEncoding(Utf8WithCounter(replacements), 3, "UTF-8 with BOM", null, replacements);
        }

        if (head.StartsWith(Utf32LeBom))
        {
            return new CsvEncoding(new UTF32Encoding(bigEndian: false, byteOrderMark: true), 4, "UTF-32LE", null, null);
        }

        if (head.StartsWith(Utf32BeBom))
        {
            return new CsvEncoding(new UTF32Encoding(bigEndian: true, byteOrderMark: true), 4, "UTF-32BE", null, null);
        }

        if (head.StartsWith(Utf16LeBom))
        {
            return new CsvEncoding(Encoding.Unicode, 2, "UTF-16LE", null, null);
        }

        if (head.StartsWith(Utf16BeBom))
        {
            return new CsvEncoding(Encoding.BigEndianUnicode, 2, "UTF-16BE", null, null);
        }

        RejectBinary(head, source);
        if (IsValidUtf8(head, isWholeFile))
        {
            var replacements = new CountingDecoderFallback();
            return new CsvEncoding(Utf8WithCounter(replacements), 0, "UTF-8", null, replacements);
        }

        var fallback = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1252);
        var name = fallback is null ? "Latin-1 (ISO-8859-1)" : "Windows-1252 (Latin-1)";
        return new CsvEncoding(
            fallback ?? Encoding.Latin1,
            0,
            name,
            $"the file is not valid UTF-8, so it was read as {name}; if accents look wrong, save it as UTF-8 or pass the encoding",
            null);
    }

    private static Encoding Utf8WithCounter(CountingDecoderFallback replacements) =>
        Encoding.GetEncoding(Encoding.UTF8.CodePage, EncoderFallback.ReplacementFallback, replacements);

    private static bool IsWide(Encoding encoding) => encoding.CodePage is 1200 or 1201 or 12000 or 12001;

    private static void RejectBinary(ReadOnlySpan<byte> head, string source)
    {
        if (head.Contains((byte)0))
        {
            throw FerryException.Invalid(
                "CSV_BINARY",
                "looks like a binary file, not CSV (it contains NUL bytes); if it is UTF-16 text, save it as UTF-8",
                new SourceLocation(source));
        }
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> head, bool isWholeFile)
    {
        var scratch = ArrayPool<char>.Shared.Rent(head.Length + 1);
        try
        {
            // A block cut in the middle of a character is fine: NeedMoreData is not invalid data.
            var status = Utf8.ToUtf16(head, scratch, out _, out _, replaceInvalidSequences: false, isFinalBlock: isWholeFile);
            return status != OperationStatus.InvalidData;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }
}
