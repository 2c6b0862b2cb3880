using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Loading;

public sealed class CsvSampleLoadTests
{
    // Rows, columns and the last column's name, from samples/README.md.
    [Theory]
    [InlineData("iris.csv", 150, 5, "label")]
    [InlineData("wine.csv", 178, 14, "label")]
    [InlineData("breast_cancer.csv", 569, 31, "label")]
    [InlineData("digits.csv", 1797, 65, "label")]
    [InlineData("diabetes.csv", 442, 11, "target")]
    [InlineData("penguins.csv", 344, 8, "label")]
    public async Task Every_sample_loads_with_its_documented_shape(string file, int rows, int columns, string last)
    {
        var result = await CsvLoad.FileAsync(CsvTestPaths.Sample(file));

        Assert.Equal(rows, result.Table.RowCount);
        Assert.Equal(columns, result.Table.ColumnCount);
        Assert.Equal(last, result.Table.Columns[^1].Name);
        Assert.Equal(0, result.BadRowCount);
        Assert.Empty(result.BadRows);
        Assert.Equal("csv (delimiter ',', header, UTF-8)", result.Format);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public async Task Penguins_has_text_categories_with_missing_values()
    {
        var table = (await CsvLoad.FileAsync(CsvTestPaths.Sample("penguins.csv"))).Table;

        var island = Assert.IsType<StringColumn>(table["island"]);
        Assert.Equal(["Biscoe", "Dream", "Torgersen"], island.Dictionary.Order(StringComparer.Ordinal));
        var sex = Assert.IsType<StringColumn>(table["sex"]);
        Assert.Equal(11, sex.MissingCount);
        Assert.Equal(2, Assert.IsType<NumericColumn>(table["bill_length_mm"]).MissingCount);
        Assert.Equal(2, Assert.IsType<NumericColumn>(table["body_mass_g"]).MissingCount);
        Assert.IsType<NumericColumn>(table["year"]);

        var label = Assert.IsType<StringColumn>(table["label"]);
        var counts = Enumerable.Range(0, label.Length).GroupBy(label.GetText).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(152, counts["Adelie"]);
        Assert.Equal(124, counts["Gentoo"]);
        Assert.Equal(68, counts["Chinstrap"]);
    }

    [Fact]
    public async Task Breast_cancer_features_are_all_numeric()
    {
        var table = (await CsvLoad.FileAsync(CsvTestPaths.Sample("breast_cancer.csv"))).Table;

        Assert.All(table.Columns.Take(30), c => Assert.Equal(0, Assert.IsType<NumericColumn>(c).MissingCount));
        var label = Assert.IsType<StringColumn>(table["label"]);
        Assert.Equal(357, Enumerable.Range(0, label.Length).Count(i => label[i] == "benign"));
    }

    [Fact]
    public async Task Diabetes_target_has_the_documented_range()
    {
        var target = Assert.IsType<NumericColumn>((await CsvLoad.FileAsync(CsvTestPaths.Sample("diabetes.csv"))).Table["target"]);

        Assert.Equal(25, target.Values.ToArray().Min());
        Assert.Equal(346, target.Values.ToArray().Max());
        Assert.Equal(152.1, target.Values.ToArray().Average(), 1);
    }

    [Fact]
    public async Task Sample_values_are_read_exactly()
    {
        var table = (await CsvLoad.FileAsync(CsvTestPaths.Sample("iris.csv"))).Table;

        Assert.Equal(5.1, ((NumericColumn)table["sepal_length_cm"])[0]);
        Assert.Equal("3", table["sepal_width_cm"].GetText(1)); // "3.0" in the file: numbers compare by value
        Assert.Equal("setosa", table["label"].GetText(0));
        Assert.Equal("virginica", table["label"].GetText(149));
    }
}
