using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Loading;

public sealed class CsvValuesTests
{
    [Theory]
    [InlineData("0", true)]
    [InlineData("-0", true)]
    [InlineData("7", true)]
    [InlineData("-12.5", true)]
    [InlineData("0.0001", true)]
    [InlineData("123456789012345", true)]
    [InlineData("0.123456789012345", true)]
    [InlineData("007", false)]
    [InlineData("1.0", false)]
    [InlineData("1.", false)]
    [InlineData(".5", false)]
    [InlineData("+1", false)]
    [InlineData("1e3", false)]
    [InlineData("0.00001", false)]
    [InlineData("1234567890123456", false)]
    [InlineData(" 1", false)]
    [InlineData("1,5", false)]
    public void Canonical_spellings_are_the_ones_format_gives_back(string text, bool canonical)
    {
        Assert.Equal(canonical, CsvValues.IsCanonical(text));
        if (canonical)
        {
            Assert.Equal(text, NumericColumn.Format(double.Parse(text, CultureInfo.InvariantCulture)));
        }
    }

    // The check may say "not canonical" for a canonical text (costing memory), never the reverse (losing a spelling).
    [Property(MaxTest = 2000, Arbitrary = [typeof(NumberSpellings)])]
    public bool A_spelling_judged_canonical_formats_back_to_itself(string text) =>
        !CsvValues.IsCanonical(text)
        || NumericColumn.Format(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)) == text;

    // The one-pass parser for plain decimals must give exactly what the general parser gives.
    [Property(MaxTest = 3000, Arbitrary = [typeof(NumberSpellings)])]
    public bool The_one_pass_parser_agrees_with_the_general_one(string text)
    {
        var parsed = CsvValues.TryParseNumber(text, decimalComma: false, out var value, out var canonical);
        var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return parsed
            && BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(expected)
            && canonical == CsvValues.IsCanonical(text);
    }

    [Property(MaxTest = 2000)]
    public bool Formatted_doubles_parse_back_exactly(double value) =>
        double.IsNaN(value)
        || (CsvValues.TryParseNumber(NumericColumn.Format(value), decimalComma: false, out var back)
            && BitConverter.DoubleToInt64Bits(back) == BitConverter.DoubleToInt64Bits(value));

    [Theory]
    [InlineData("")]
    [InlineData("NA")]
    [InlineData("na")]
    [InlineData("NaN")]
    [InlineData("?")]
    [InlineData("NULL")]
    [InlineData("n/a")]
    public void Missing_tokens(string text) => Assert.True(CsvValues.IsMissing(text));

    [Theory]
    [InlineData("None")]
    [InlineData("0")]
    [InlineData("-")]
    [InlineData("nil")]
    public void Not_missing(string text) => Assert.False(CsvValues.IsMissing(text));

    public static class NumberSpellings
    {
        public static Arbitrary<string> Spellings() =>
            Gen.Elements("0", "1", "2", "5", "9", ".", "-", "+", "e", "00", "10", "0.", "123456789", "0000")
                .ArrayOf()
                .Select(parts => string.Concat(parts))
                .Where(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                .ToArbitrary();
    }
}
