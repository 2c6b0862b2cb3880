using System.Globalization;
using Ferry.Data.Tables;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Packaging;
using Ferry.Learn.Search;

namespace Ferry.Learn.Tests.Search;

[Collection("search")]
public sealed class SplitSearchTests : IDisposable
{
    private static readonly DateTime Start = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-split-search-");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>Rows of <paramref name="groups"/> customers (8 rows each, in shuffled order) with a daily date, two features and a label.</summary>
    private string WriteCsv(string name, int groups, Func<int, string>? date = null)
    {
        var random = new Random(17);
        var rows = Enumerable.Range(0, groups * 8).OrderBy(_ => random.Next()).Select(i =>
        {
            var customer = i % groups;
            var x = random.NextDouble() * 4 - 2;
            var label = x + (customer % 3 == 0 ? 0.8 : -0.3) + (random.NextDouble() - 0.5) > 0 ? "yes" : "no";
            var day = date?.Invoke(i) ?? Start.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return string.Create(CultureInfo.InvariantCulture, $"c{customer:000},{day},{x:0.###},{random.NextDouble():0.###},{label}");
        });
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllLines(path, ["customer_id,day,x1,x2,churned", .. rows]);
        return path;
    }

    private static SearchSettings Settings(string path) => new() { DataPath = path, Label = "churned", Seed = 5 };

    private static HashSet<string?> Values(Table table, string column, IEnumerable<int> rows) => [.. rows.Select(r => table[column].GetText(r))];

    [Fact]
    public async Task A_group_split_keeps_every_customer_in_one_part_and_one_fold_and_does_not_learn_from_the_id()
    {
        var prepared = await SearchPreparation.PrepareAsync(Settings(WriteCsv("groups.csv", 60)) with { GroupColumn = "customer_id" }, CancellationToken.None);

        var searchGroups = Values(prepared.SearchRows, "customer_id", Enumerable.Range(0, prepared.SearchRows.RowCount));
        var testGroups = Values(prepared.TestRows, "customer_id", Enumerable.Range(0, prepared.TestRows.RowCount));
        Assert.NotEmpty(testGroups);
        Assert.Empty(searchGroups.Intersect(testGroups));
        Assert.Equal(5, prepared.Data.Folds.Count);
        foreach (var (train, validation) in prepared.Data.Folds)
        {
            Assert.Empty(Values(prepared.SearchRows, "customer_id", train).Intersect(Values(prepared.SearchRows, "customer_id", validation)));
        }

        Assert.Equal(prepared.SearchRows.RowCount, prepared.Data.Folds.Sum(f => f.Validation.Length));
        Assert.DoesNotContain(prepared.Featurizer.Inputs, i => i.Name == "customer_id");
        Assert.Contains(prepared.Defaults, d => d.Setting == "validation" && d.Value.Contains("group k-fold", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_time_split_tests_on_the_latest_rows_and_validates_forward()
    {
        var prepared = await SearchPreparation.PrepareAsync(Settings(WriteCsv("times.csv", 50)) with { TimeColumn = "day" }, CancellationToken.None);

        DateTime Day(Table table, int row) => DateTime.Parse(table["day"].GetText(row)!, CultureInfo.InvariantCulture);
        var searchDays = Enumerable.Range(0, prepared.SearchRows.RowCount).Select(r => Day(prepared.SearchRows, r)).ToList();
        var testDays = Enumerable.Range(0, prepared.TestRows.RowCount).Select(r => Day(prepared.TestRows, r)).ToList();
        Assert.Equal(80, testDays.Count);
        Assert.True(testDays.Min() > searchDays.Max(), $"test starts {testDays.Min():d}, search ends {searchDays.Max():d}");
        Assert.Equal(Start.AddDays(399), testDays.Max());
        foreach (var (train, validation) in prepared.Data.Folds)
        {
            Assert.True(train.Max(r => searchDays[r]) < validation.Min(r => searchDays[r]), "each fold validates on later days than it trains on");
        }

        // Decided: the time column stays a feature, as date parts (production rows carry dates too).
        Assert.Contains(prepared.Featurizer.Inputs, i => i.Name == "day");
        Assert.Contains(prepared.Defaults, d => d.Setting == "validation" && d.Value.Contains("forward-chaining", StringComparison.Ordinal));
        Assert.Contains(prepared.Defaults, d => d.Setting == "split" && d.Value == "by time 'day', test the latest 20%");
    }

    [Fact]
    public async Task Split_columns_that_cannot_work_are_refused_saying_why()
    {
        var data = WriteCsv("few.csv", 4);
        var missing = await Assert.ThrowsAsync<FerryException>(() => SearchPreparation.PrepareAsync(Settings(data) with { GroupColumn = "customer" }, CancellationToken.None));
        Assert.Equal("COLUMN_NOT_FOUND", missing.Code);
        Assert.Contains("split.group names column 'customer'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'customer_id'", missing.Message, StringComparison.Ordinal);

        var label = await Assert.ThrowsAsync<FerryException>(() => SearchPreparation.PrepareAsync(Settings(data) with { TimeColumn = "churned" }, CancellationToken.None));
        Assert.Equal("SPLIT_COLUMN_IS_LABEL", label.Code);

        // Four customers: one goes to the test set, three cannot fill five folds.
        var few = await Assert.ThrowsAsync<FerryException>(() => SearchPreparation.PrepareAsync(Settings(data) with { GroupColumn = "customer_id" }, CancellationToken.None));
        Assert.Equal("SPLIT_TOO_FEW_GROUPS", few.Code);
        Assert.Contains("3 folds or fewer", few.Message, StringComparison.Ordinal);

        var unreadable = WriteCsv("bad-day.csv", 20, i => i == 16 ? "someday" : Start.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var lines = await File.ReadAllLinesAsync(unreadable);
        var row = Array.FindIndex(lines, l => l.Contains("someday", StringComparison.Ordinal));
        var time = await Assert.ThrowsAsync<FerryException>(() => SearchPreparation.PrepareAsync(Settings(unreadable) with { TimeColumn = "day" }, CancellationToken.None));
        Assert.Equal("SPLIT_TIME_UNPARSEABLE", time.Code);
        Assert.Contains($"row {row}", time.Message, StringComparison.Ordinal);
        Assert.Contains("'someday'", time.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grouped_search_records_its_split_and_packages_a_model_without_the_group_input()
    {
        var outcome = await new AutoSearch(MlNetZoo.All, TimeProvider.System).RunAsync(
            Settings(WriteCsv("grouped.csv", 40)) with { GroupColumn = "customer_id", Budget = TimeSpan.FromSeconds(15) },
            Path.Combine(_folder.FullName, "pkg"), null, CancellationToken.None);

        using var package = await ModelPackage.OpenAsync(outcome.PackagePath, CancellationToken.None);
        Assert.DoesNotContain(package.Manifest.Signature.Inputs, i => i.Name == "customer_id");
        Assert.Contains(outcome.Defaults, d => d.Setting == "split" && d.Value.StartsWith("by group 'customer_id'", StringComparison.Ordinal));
    }
}
