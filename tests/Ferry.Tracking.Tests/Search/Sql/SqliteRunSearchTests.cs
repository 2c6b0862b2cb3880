using Ferry.Tracking.Search;

namespace Ferry.Tracking.Tests.Search.Sql;

public sealed class SqliteSearchFixture : IDisposable
{
    internal List<TestRun> Runs { get; } = SearchTestData.Build();

    internal SearchDatabase Database { get; }

    public SqliteSearchFixture() => Database = SearchDatabase.CreateSqlite(Runs);

    public void Dispose() => Database.Dispose();
}

/// <summary>Executes translated searches on a real SQLite database and compares them with the in-memory oracle.</summary>
public sealed class SqliteRunSearchTests(SqliteSearchFixture fixture) : IClassFixture<SqliteSearchFixture>
{
    public static TheoryData<string> FilterCases => SearchCases.FilterCases;

    public static TheoryData<int> OrderCases => SearchCases.OrderCases;

    public static TheoryData<string, int> CombinedCases() => SearchCases.CombinedCases();

    private string Describe(IEnumerable<string> ids) => SearchCases.Describe(fixture.Runs, ids);

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filter_returns_what_the_oracle_returns(string filter) =>
        SearchCases.AssertSameAsOracle(fixture.Database, fixture.Runs, filter, []);

    [Theory]
    [MemberData(nameof(OrderCases))]
    public void Order_by_sorts_as_the_oracle_sorts(int order) =>
        SearchCases.AssertSameAsOracle(fixture.Database, fixture.Runs, "", SearchCases.Orders[order]);

    [Theory]
    [MemberData(nameof(CombinedCases))]
    public void Filter_and_order_by_together(string filter, int order) =>
        SearchCases.AssertSameAsOracle(fixture.Database, fixture.Runs, filter, SearchCases.Orders[order]);

    [Fact]
    public void The_filters_discriminate()
    {
        // Guards against a suite that passes because every filter matches everything or nothing.
        var counts = SearchCases.Filters.Select(f => SearchOracle.Search(fixture.Runs, RunFilterParser.Parse(f), []).Count).ToList();
        var trivial = counts.Count(c => c == 0 || c == SearchTestData.RunCount);
        Assert.True(trivial <= 6, $"{trivial} filters match everything or nothing");
    }

    // Answers worked out by hand from the formulas in SearchTestData, so the oracle itself is checked too.
    [Theory]
    [InlineData("tags.env LIKE 'prod'", "0 6 12 18 24")]
    [InlineData("metrics.loss = 0.5", "13")]
    [InlineData("metrics.loss = 0", "0")]
    [InlineData("metrics.loss > 1e308", "9")]
    [InlineData("metrics.loss < -1e308", "11")]
    [InlineData("params.note LIKE '[x]'", "2 11 20 29")]
    [InlineData("params.note LIKE '%\\%%'", "0 9 18 27")]
    [InlineData("run_id IN ('ABC')", "")]
    public void Known_answers(string filter, string indices)
    {
        var query = RunQueryBuilder.Build(RunFilterParser.Parse(filter), [new OrderClause(SearchEntity.Attribute, "start_time", true)], SearchDialect.Sqlite);
        Assert.Equal(indices, Describe(fixture.Database.Search(query)));
    }

    [Theory]
    [InlineData("metrics.loss != 0.5", 25)]
    [InlineData("tags.env ILIKE 'prod'", 15)]
    [InlineData("tags.env IS NULL", 10)]
    [InlineData("metrics.loss <= 1e999", 22)]
    public void Known_counts(string filter, int count)
    {
        var query = RunQueryBuilder.Build(RunFilterParser.Parse(filter), [], SearchDialect.Sqlite);
        Assert.Equal(count, fixture.Database.Search(query).Count);
    }

    [Fact]
    public void Nan_and_missing_metrics_sort_last_in_both_directions()
    {
        foreach (var direction in new[] { "ASC", "DESC" })
        {
            var order = RunOrderByParser.Parse([$"metrics.loss {direction}"]);
            var ids = fixture.Database.Search(RunQueryBuilder.Build(RunFilter.Empty, order, SearchDialect.Sqlite));
            var tail = ids.TakeLast(8).Select(id => fixture.Runs.Single(r => r.RunId == id)).ToList();
            Assert.All(tail.Take(4), r => Assert.True(double.IsNaN(r.Metrics["loss"])));
            Assert.All(tail.Skip(4), r => Assert.False(r.Metrics.ContainsKey("loss")));
            Assert.Equal(direction == "ASC" ? 11 : 9, fixture.Runs.Single(r => r.RunId == ids[0]).Index); // -inf or +inf first
        }
    }

    [Fact]
    public void Callers_can_put_their_own_parameters_first()
    {
        var parsed = RunFilterParser.Parse("metrics.loss < 0.8 AND tags.env ILIKE 'p%'");
        var order = RunOrderByParser.Parse(["metrics.loss"]);
        var query = RunQueryBuilder.Build(parsed, order, SearchDialect.Sqlite, firstParameterIndex: 2);
        Assert.DoesNotContain("@p0", query.WhereSql + query.OrderBySql, StringComparison.Ordinal);
        var actual = fixture.Database.Search(query, "r.experiment_id = @p0 AND r.lifecycle_stage = @p1 AND ", 1L, "active");
        var expected = SearchOracle.Search(fixture.Runs.Where(r => r.ExperimentId == 1 && r.LifecycleStage == "active"), parsed, order)
            .Select(r => r.RunId).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    [Fact]
    public void User_text_never_reaches_the_sql()
    {
        var query = RunQueryBuilder.Build(
            RunFilterParser.Parse("tags.\"x'); DROP TABLE runs; --\" = 'a'' OR 1=1 --' AND params.p LIKE '%; DELETE FROM tags'"),
            RunOrderByParser.Parse(["metrics.`1); DROP TABLE runs; --` DESC"]),
            SearchDialect.Sqlite);
        var sql = query.WhereSql + query.OrderBySql;
        Assert.DoesNotContain("DROP", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("DELETE", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("1=1", sql, StringComparison.Ordinal);
        Assert.Contains("x'); DROP TABLE runs; --", query.Parameters);
        Assert.Empty(fixture.Database.Search(query));
        Assert.Equal(30L, fixture.Database.Count("runs"));
    }
}
