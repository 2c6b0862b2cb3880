using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Packaging;

namespace Ferry.Learn.Tests.Tabular;

public sealed class ReferenceProfileTests
{
    private static readonly ModelSignature Signature = new(
        [new InputColumn("x", ColumnKind.Numeric), new InputColumn("c", ColumnKind.Categorical, ["a", "b"]), new InputColumn("t", ColumnKind.Text)],
        TaskKind.Binary, "y", ["no", "yes"]);

    private static Table Rows() => new(
    [
        new NumericColumn("x", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, double.NaN]),
        StringColumn.FromValues("c", ["a", "a", "a", "b", "b", "z", null, "a", "a", "b", "a", "a"]),
        StringColumn.FromValues("t", ["hi", null, null, "x", "y", "z", "w", "v", "u", "s", "r", "q"]),
        StringColumn.FromValues("y", ["no", "no", "no", "yes", "no", "yes", "no", "no", "yes", "no", "no", "no"]),
    ]);

    private static Predictions Predictions()
    {
        float[] p1 = [0.05f, 0.15f, 0.25f, 0.95f, 0.45f, 0.85f, 0.1f, 0.2f, 0.75f, 0.3f, 0.0f, 1.0f];
        return Ferry.Learn.Predictions.ForClasses(TaskKind.Binary, ["no", "yes"], [.. p1.Select(p => p >= 0.5 ? "yes" : "no")], [.. p1.Select(p => new[] { 1 - p, p })]);
    }

    [Fact]
    public void Numbers_get_deciles_histogram_and_missing_rate()
    {
        var profile = ReferenceProfileBuilder.Build(Rows(), Signature, Predictions(), "validation");

        var x = profile.Features[0];
        Assert.Equal(1.0 / 12, x.MissingRate, 12);
        // Eleven values 1..11: the q-th decile of a linear interpolation is 1 + 10q.
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], x.Distribution!.Quantiles!.Select(q => Math.Round(q, 9)));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], x.Distribution.BinEdges!.Select(e => Math.Round(e, 9)));
        // Ten bins of width 1; the last holds 10 and 11.
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 1, 2], x.Distribution.BinCounts);
    }

    [Fact]
    public void Categories_get_shares_of_present_values_and_text_only_a_missing_rate()
    {
        var profile = ReferenceProfileBuilder.Build(Rows(), Signature, Predictions(), "validation");

        var c = profile.Features[1];
        Assert.Equal(1.0 / 12, c.MissingRate, 12);
        Assert.Equal(7.0 / 11, c.Distribution!.Shares!["a"], 12);
        Assert.Equal(3.0 / 11, c.Distribution.Shares["b"], 12);
        Assert.Equal(1.0 / 11, c.Distribution.Shares["z"], 12);
        var t = profile.Features[2];
        Assert.Equal(2.0 / 12, t.MissingRate, 12);
        Assert.Null(t.Distribution);
    }

    [Fact]
    public void Label_and_predictions_are_profiled_and_the_profile_round_trips()
    {
        var profile = ReferenceProfileBuilder.Build(Rows(), Signature, Predictions(), "validation");

        Assert.Equal(3.0 / 12, profile.Label.Shares!["yes"], 12);
        Assert.Equal(4.0 / 12, profile.Predictions.Shares!["yes"], 12);
        Assert.Equal([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], profile.Confidence!.BinEdges!.Select(e => Math.Round(e, 9)));
        Assert.Equal([2, 2, 2, 1, 1, 0, 0, 1, 1, 2], profile.Confidence.BinCounts);
    }

    [Fact]
    public async Task The_profile_saves_and_loads()
    {
        var profile = ReferenceProfileBuilder.Build(Rows(), Signature, Predictions(), "validation");
        var folder = Directory.CreateTempSubdirectory("ferry-reference-");
        try
        {
            var path = Path.Combine(folder.FullName, ReferenceProfile.FileName);
            await profile.SaveAsync(path, CancellationToken.None);

            var loaded = await ReferenceProfile.LoadAsync(path, CancellationToken.None);

            Assert.Equal(profile.Rows, loaded.Rows);
            Assert.Equal(profile.Features[0].Distribution!.Quantiles, loaded.Features[0].Distribution!.Quantiles);
            Assert.Equal(profile.Features[1].Distribution!.Shares, loaded.Features[1].Distribution!.Shares);
            Assert.Equal(ColumnKind.Text, loaded.Features[2].Kind);
            Assert.True(new FileInfo(path).Length < 4000);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
