using Ferry.Data.Reports;

namespace Ferry.Data.Tests.Reports;

public sealed class ChartFileNamesTests
{
    private static readonly string[] Hostile =
    [
        "../evil", "..", ".", "a/b", "a\\b", "A", "a", "", "   ", "CON", "nul", "größe", "温度", "<script>alert(1)</script>",
        new string('x', 300), "x:y*z?", "name.png", "sepal length (cm)", "a", "\0",
    ];

    [Fact]
    public void Names_are_distinct_safe_and_stable()
    {
        var names = ChartFileNames.For(Hostile);
        Assert.Equal(Hostile.Length, names.Count);
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(names, ChartFileNames.For(Hostile));
        foreach (var name in names)
        {
            Assert.Matches("^[0-9]{3}-[a-z0-9_-]{1,40}\\.png$", name);
            Assert.DoesNotContain("..", name, StringComparison.Ordinal);
            Assert.Equal(name, Path.GetFileName(name));
        }
    }

    [Theory]
    [InlineData("sepal length (cm)", "sepal-length-cm")]
    [InlineData("../evil", "evil")]
    [InlineData("größe", "gr-e")]
    [InlineData("Café Owner", "caf-owner")]
    [InlineData("温度", "column")]
    [InlineData("", "column")]
    [InlineData("bill_length_mm", "bill_length_mm")]
    public void Slugs_keep_what_is_readable(string column, string slug) => Assert.Equal(slug, ChartFileNames.Slug(column));

    [Fact]
    public void Numbers_widen_for_wide_tables()
    {
        var names = ChartFileNames.For([.. Enumerable.Range(0, 1500).Select(i => $"p{i}")]);
        Assert.Equal("0001-p0.png", names[0]);
        Assert.Equal("1500-p1499.png", names[^1]);
    }
}
