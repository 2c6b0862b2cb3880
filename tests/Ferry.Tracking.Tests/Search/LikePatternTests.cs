using Ferry.Tracking.Search;

namespace Ferry.Tracking.Tests.Search;

public sealed class LikePatternTests
{
    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a%c", "a*c")]
    [InlineData("a_c", "a?c")]
    [InlineData("100\\%", "100%")]
    [InlineData("a\\_b", "a_b")]
    [InlineData("a\\\\b", "a\\b")]
    [InlineData("a*b?c[d]", "a[*]b[?]c[[]d]")]
    [InlineData("\\q", "q")]
    public void Translates_like_to_glob(string like, string glob) => Assert.Equal(glob, LikePattern.ToGlob(like));

    [Fact]
    public void Refuses_a_trailing_escape()
    {
        var error = Assert.Throws<FerryException>(() => LikePattern.Validate("abc\\", 7));
        Assert.Contains("ends with the escape character", error.Message, StringComparison.Ordinal);
        LikePattern.Validate("abc\\\\", 7);
        LikePattern.Validate("a\\%", 7);
    }
}
