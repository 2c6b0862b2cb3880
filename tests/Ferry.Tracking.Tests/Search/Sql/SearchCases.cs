using Ferry.Tracking.Search;

namespace Ferry.Tracking.Tests.Search.Sql;

/// <summary>The filters and orderings run against every database, and the check that compares SQL with the oracle.</summary>
internal static class SearchCases
{
    private static readonly string Id1 = SearchTestData.RunIdFor(1);
    private static readonly string Id2 = SearchTestData.RunIdFor(2);
    private static readonly string Id5 = SearchTestData.RunIdFor(5);
    private const long T = SearchTestData.BaseTime;

    public static readonly string[] Filters =
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

    public static readonly string[][] Orders =
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

    public static void AssertSameAsOracle(SearchDatabase database, IReadOnlyList<TestRun> runs, string filter, string[] orderBy)
    {
        var parsed = RunFilterParser.Parse(filter);
        var order = RunOrderByParser.Parse(orderBy);
        var query = RunQueryBuilder.Build(parsed, order, database.Dialect);
        var expected = SearchOracle.Search(runs, parsed, order).Select(r => r.RunId).ToList();
        var actual = database.Search(query);
        Assert.Equal(Describe(runs, expected), Describe(runs, actual));
    }

    public static string Describe(IReadOnlyList<TestRun> runs, IEnumerable<string> ids) =>
        string.Join(" ", ids.Select(id => runs.Single(r => r.RunId == id).Index));
}
