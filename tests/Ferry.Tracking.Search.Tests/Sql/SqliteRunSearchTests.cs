using Ferry.Tracking.Search;

namespace Ferry.Tracking.Search.Tests.Sql;

public sealed class SqliteSearchFixture : IDisposable
{
    internal List<TestRun> Runs { get; } = SearchTestData.Build();

    internal SqliteSearchDatabase Database { get; }

    public SqliteSearchFixture() => Database = new SqliteSearchDatabase(Runs);

    public void Dispose() => Database.Dispose();
}

/// <summary>Executes translated searches on a real SQLite database and compares them with the in-memory oracle.</summary>
public sealed class SqliteRunSearchTests(SqliteSearchFixture fixture) : IClassFixture<SqliteSearchFixture>
{
    private static readonly string Id1 = SearchTestData.RunIdFor(1);
    private static readonly string Id2 = SearchTestData.RunIdFor(2);
    private static readonly string Id5 = SearchTestData.RunIdFor(5);
    private const long T = SearchTestData.BaseTime;

    internal static readonly string[] Filters =
    [
        "",
        "metrics.loss < 0.5",
        "metrics.loss <= 0.5",
        "metrics.loss = 0.5",
        "metrics.loss != 0.5",
        "metrics.loss > 0.5",
        "metrics.loss >= 0.5",
        "metrics.loss = 0",
        "metrics.loss > 1e308",
        "metrics.loss < -1e308",
        "metrics.loss <= 1e999",
        "metrics.loss != 1e999",
        "metrics.loss = -1e999",
        "metrics.acc > 0.8 AND params.model = 'rf'",
        "metrics.val.loss < 1.5",
        "metrics.`val.loss` != 0",
        "metrics.acc >= 0.7 AND metrics.loss < 0.9 AND tags.env IS NOT NULL",
        "params.lr = '0.01'",
        "params.lr != '0.01'",
        "params.lr LIKE '0.0%'",
        "params.lr IS NULL",
        "params.lr IS NOT NULL AND tags.env IS NULL",
        "params.model LIKE 'r%'",
        "params.model ILIKE 'R%'",
        "params.model ILIKE 'rf'",
        "params.model != 'RF'",
        "params.note LIKE '%\\%%'",
        "params.note LIKE '%\\_%'",
        "params.note LIKE 'a_c'",
        "params.note ILIKE 'a_c'",
        "params.note LIKE '%*%'",
        "params.note LIKE '[x]'",
        "params.note LIKE '%?'",
        "params.note LIKE 'a\\\\b'",
        "params.note = 'it''s'",
        "params.note = \"it's\"",
        "tags.env = 'prod'",
        "tags.env LIKE 'prod'",
        "tags.env ILIKE 'prod'",
        "tags.env ILIKE 'PR%'",
        "tags.env != 'prod'",
        "tags.env IS NULL",
        "tags.env IS NOT NULL",
        "tags.\"user-name\" = 'bob'",
        "tags.`mlflow.runName` LIKE 'Trial%'",
        "attributes.status = 'FINISHED'",
        "status != 'FAILED'",
        "run_name LIKE 'trial-1%'",
        "attributes.run_name ILIKE 'TRIAL-1%'",
        "`Run name` = 'Trial-8'",
        "user_id = 'Carol'",
        "user_id ILIKE 'carol'",
        "artifact_uri LIKE 'mlflow-artifacts:/3/%'",
        $"attributes.run_id = '{Id5}'",
        $"run_id IN ('{Id1}', '{Id2}', '{Id5.ToUpperInvariant()}')",
        $"run_id NOT IN ('{Id1}', '{Id2}')",
        "run_id IN ('ABC')",
        "run_id NOT IN ('ABC')",
        $"start_time >= {T + 5000} AND end_time < {T + 12000}",
        $"created > {T + 10000}",
        $"attributes.end_time != {T + 100}",
        "end_time > 0",
        "datasets.name = 'iris'",
        "datasets.name != 'iris'",
        "datasets.name LIKE 'iris'",
        "datasets.name ILIKE 'iris'",
        "datasets.name IN ('wine', 'Iris')",
        "datasets.name NOT IN ('iris')",
        "datasets.digest IN ('d1', 'd2')",
        "datasets.context = 'train'",
        "datasets.context != 'train'",
        "datasets.context NOT IN ('train')",
        "datasets.name = 'iris' AND datasets.context = 'eval'",
        "tags.env = 'x'' OR 1=1 --'",
    ];

    internal static readonly string[][] Orders =
    [
        [],
        ["metrics.loss"],
        ["metrics.loss DESC"],
        ["metrics.`val.loss` desc"],
        ["params.lr DESC", "start_time ASC"],
        ["tags.env"],
        ["tags.env DESC", "metrics.acc"],
        ["attributes.end_time"],
        ["end_time DESC"],
        ["run_name DESC"],
        ["status", "metrics.acc DESC"],
        ["created ASC"],
        ["params.note"],
        ["user_id", "run_id DESC"],
        ["artifact_uri DESC"],
        ["metrics.missing"],
        ["metrics.loss", "params.model DESC"],
    ];

    public static TheoryData<string> FilterCases => new(Filters);

    public static TheoryData<int> OrderCases => new(Enumerable.Range(0, Orders.Length));

    public static TheoryData<string, int> CombinedCases()
    {
        var data = new TheoryData<string, int>();
        string[] filters = ["metrics.loss != 0.5", "tags.env ILIKE 'prod' AND params.lr IS NOT NULL", "datasets.context != 'train'"];
        foreach (var filter in filters)
        {
            for (var o = 0; o < Orders.Length; o++)
            {
                data.Add(filter, o);
            }
        }

        return data;
    }

    private void AssertSameAsOracle(string filter, string[] orderBy)
    {
        var parsed = RunFilterParser.Parse(filter);
        var order = RunOrderByParser.Parse(orderBy);
        var query = RunQueryBuilder.Build(parsed, order, SqlDialect.Sqlite);
        var expected = SearchOracle.Search(fixture.Runs, parsed, order).Select(r => r.RunId).ToList();
        var actual = fixture.Database.Search(query);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    private string Describe(IEnumerable<string> ids) =>
        string.Join(" ", ids.Select(id => fixture.Runs.Single(r => r.RunId == id).Index));

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filter_returns_what_the_oracle_returns(string filter) => AssertSameAsOracle(filter, []);

    [Theory]
    [MemberData(nameof(OrderCases))]
    public void Order_by_sorts_as_the_oracle_sorts(int order) => AssertSameAsOracle("", Orders[order]);

    [Theory]
    [MemberData(nameof(CombinedCases))]
    public void Filter_and_order_by_together(string filter, int order) => AssertSameAsOracle(filter, Orders[order]);

    [Fact]
    public void The_filters_discriminate()
    {
        // Guards against a suite that passes because every filter matches everything or nothing.
        var counts = Filters.Select(f => SearchOracle.Search(fixture.Runs, RunFilterParser.Parse(f), []).Count).ToList();
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
        var query = RunQueryBuilder.Build(RunFilterParser.Parse(filter), [new OrderClause(SearchEntity.Attribute, "start_time", true)], SqlDialect.Sqlite);
        Assert.Equal(indices, Describe(fixture.Database.Search(query)));
    }

    [Theory]
    [InlineData("metrics.loss != 0.5", 25)]
    [InlineData("tags.env ILIKE 'prod'", 15)]
    [InlineData("tags.env IS NULL", 10)]
    [InlineData("metrics.loss <= 1e999", 22)]
    public void Known_counts(string filter, int count)
    {
        var query = RunQueryBuilder.Build(RunFilterParser.Parse(filter), [], SqlDialect.Sqlite);
        Assert.Equal(count, fixture.Database.Search(query).Count);
    }

    [Fact]
    public void Nan_and_missing_metrics_sort_last_in_both_directions()
    {
        var order = RunOrderByParser.Parse(["metrics.loss DESC"]);
        var ids = fixture.Database.Search(RunQueryBuilder.Build(RunFilter.Empty, order, SqlDialect.Sqlite));
        var tail = ids.TakeLast(8).Select(id => fixture.Runs.Single(r => r.RunId == id)).ToList();
        Assert.All(tail.Take(4), r => Assert.True(double.IsNaN(r.Metrics["loss"])));
        Assert.All(tail.Skip(4), r => Assert.False(r.Metrics.ContainsKey("loss")));
        Assert.Equal(9, fixture.Runs.Single(r => r.RunId == ids[0]).Index); // +inf first when descending
    }

    [Fact]
    public void Callers_can_put_their_own_parameters_first()
    {
        var parsed = RunFilterParser.Parse("metrics.loss < 0.8 AND tags.env ILIKE 'p%'");
        var order = RunOrderByParser.Parse(["metrics.loss"]);
        var query = RunQueryBuilder.Build(parsed, order, SqlDialect.Sqlite, firstParameterIndex: 2);
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
            SqlDialect.Sqlite);
        var sql = query.WhereSql + query.OrderBySql;
        Assert.DoesNotContain("DROP", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("DELETE", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("1=1", sql, StringComparison.Ordinal);
        Assert.Contains("x'); DROP TABLE runs; --", query.Parameters);
        Assert.Empty(fixture.Database.Search(query));
        Assert.Equal(30L, fixture.Database.Scalar("SELECT COUNT(*) FROM runs"));
    }
}
