using Ferry.Tracking.Search;

namespace Ferry.Tracking.Tests.Search.Sql;

public sealed class PostgresSearchFixture : IDisposable
{
    private readonly Lazy<SearchDatabase> _database;

    public PostgresSearchFixture() =>
        _database = new Lazy<SearchDatabase>(() => SearchDatabase.CreatePostgres(PostgresUri.FromEnvironment()!, Runs));

    internal List<TestRun> Runs { get; } = SearchTestData.Build();

    // Created on first use, so nothing connects when the leg is skipped.
    internal SearchDatabase Database => _database.Value;

    public void Dispose()
    {
        if (_database.IsValueCreated)
        {
            _database.Value.Dispose();
        }
    }
}

/// <summary>
/// The same searches as <see cref="SqliteRunSearchTests"/> on PostgreSQL (native LIKE/ILIKE, boolean is_nan,
/// real infinities), in a throwaway schema. Runs only when FERRY_TEST_POSTGRES holds a postgresql:// URI.
/// </summary>
public sealed class PostgresRunSearchTests(PostgresSearchFixture fixture) : IClassFixture<PostgresSearchFixture>
{
    public static TheoryData<string> FilterCases => SearchCases.FilterCases;

    public static TheoryData<int> OrderCases => SearchCases.OrderCases;

    public static TheoryData<string, int> CombinedCases() => SearchCases.CombinedCases();

    [PostgresTheory]
    [MemberData(nameof(FilterCases))]
    public void Filter_returns_what_the_oracle_returns(string filter) =>
        SearchCases.AssertSameAsOracle(fixture.Database, fixture.Runs, filter, []);

    [PostgresTheory]
    [MemberData(nameof(OrderCases))]
    public void Order_by_sorts_as_the_oracle_sorts(int order) =>
        SearchCases.AssertSameAsOracle(fixture.Database, fixture.Runs, "", SearchCases.Orders[order]);

    [PostgresTheory]
    [MemberData(nameof(CombinedCases))]
    public void Filter_and_order_by_together(string filter, int order) =>
        SearchCases.AssertSameAsOracle(fixture.Database, fixture.Runs, filter, SearchCases.Orders[order]);

    [PostgresFact]
    public void Callers_can_put_their_own_parameters_first()
    {
        var parsed = RunFilterParser.Parse("metrics.loss < 0.8 AND tags.env ILIKE 'p%'");
        var order = RunOrderByParser.Parse(["metrics.loss"]);
        var query = RunQueryBuilder.Build(parsed, order, SearchDialect.PostgreSql, firstParameterIndex: 2);
        var actual = fixture.Database.Search(query, "r.experiment_id = @p0 AND r.lifecycle_stage = @p1 AND ", 1, "active");
        var expected = SearchOracle.Search(fixture.Runs.Where(r => r.ExperimentId == 1 && r.LifecycleStage == "active"), parsed, order)
            .Select(r => r.RunId).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(SearchCases.Describe(fixture.Runs, expected), SearchCases.Describe(fixture.Runs, actual));
    }
}
