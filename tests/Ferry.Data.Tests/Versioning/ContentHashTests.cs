using Ferry.Data.Tables;
using Ferry.Data.Versioning;

namespace Ferry.Data.Tests.Versioning;

public class ContentHashTests
{
    private static Table Sample(double x = 1.5, string? city = "Oslo", string label = "a") => new(
    [
        new NumericColumn("x", [x, double.NaN, -3e10]),
        StringColumn.FromValues("city", [city, null, "Zürich"]),
        StringColumn.FromValues("label", [label, "b", "a"]),
    ]);

    [Fact]
    public void Compute_IsStableAcrossRunsAndVersions()
    {
        // A golden value, computed outside .NET from the byte layout in docs/data-versioning.md. If the
        // normalisation changes, every stored dataset would get a new version on its next 'data add';
        // change it only together with a new "ferry-table-vN" header.
        Assert.Equal(ContentHash.Compute(Sample()), ContentHash.Compute(Sample()));
        Assert.Equal("sha256:79c0fec0821fd7cd23ce83d3d0dfdb798eea07f9bfa71cdfbb1060e702826ef7", ContentHash.Compute(Sample()));
    }

    [Fact]
    public void Compute_IgnoresStorageButNotContent()
    {
        var baseline = ContentHash.Compute(Sample());

        // The same numbers stored as text (as a CSV reader might keep them) hash the same.
        var asText = new Table(
        [
            StringColumn.FromValues("x", ["1.5", null, "-30000000000"]),
            StringColumn.FromValues("city", ["Oslo", null, "Zürich"]),
            StringColumn.FromValues("label", ["a", "b", "a"]),
        ]);
        Assert.Equal(baseline, ContentHash.Compute(asText));

        Assert.NotEqual(baseline, ContentHash.Compute(Sample(x: 1.25)));
        Assert.NotEqual(baseline, ContentHash.Compute(Sample(city: "")));   // empty text is not missing
        Assert.NotEqual(baseline, ContentHash.Compute(Sample(city: null)));
        Assert.NotEqual(baseline, ContentHash.Compute(Sample(label: "c")));
        Assert.NotEqual(baseline, ContentHash.Compute(new Table(Sample().Columns.Select(c => c.Name == "x" ? c.Rename("y") : c))));
        Assert.NotEqual(baseline, ContentHash.Compute(Sample().SelectRows([2, 1, 0])));
    }

    [Fact]
    public void Compute_SeparatesCellBoundaries()
    {
        var a = new Table([StringColumn.FromValues("p", ["ab"]), StringColumn.FromValues("q", ["c"])]);
        var b = new Table([StringColumn.FromValues("p", ["a"]), StringColumn.FromValues("q", ["bc"])]);
        Assert.NotEqual(ContentHash.Compute(a), ContentHash.Compute(b));
    }

    [Fact]
    public void Abbreviate_KeepsTwelveHexDigits() =>
        Assert.Equal("0123456789ab", ContentHash.Abbreviate("sha256:0123456789abcdef"));
}
