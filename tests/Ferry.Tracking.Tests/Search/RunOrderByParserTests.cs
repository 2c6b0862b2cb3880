using Ferry.Tracking.Search;

namespace Ferry.Tracking.Tests.Search;

public sealed class RunOrderByParserTests
{
    [Fact]
    public void Null_or_empty_means_no_explicit_clause()
    {
        Assert.Empty(RunOrderByParser.Parse(null));
        Assert.Empty(RunOrderByParser.Parse([]));
    }

    public static TheoryData<string, SearchEntity, string, bool> ValidCases => new()
    {
        { "metrics.x DESC", SearchEntity.Metric, "x", false },
        { "metrics.key1 asc", SearchEntity.Metric, "key1", true },
        { "metrics.\"key1\"  desc", SearchEntity.Metric, "key1", false },
        { "metrics.`Mean Square Error`", SearchEntity.Metric, "Mean Square Error", true },
        { "metrics.`Mean Square Error` ASC", SearchEntity.Metric, "Mean Square Error", true },
        { "metrics.`Mean Square Error` DESC", SearchEntity.Metric, "Mean Square Error", false },
        { "metrics.val.loss", SearchEntity.Metric, "val.loss", true },
        { "params.y", SearchEntity.Param, "y", true },
        { "params.my_param aSc", SearchEntity.Param, "my_param", true },
        { "params.`my_param` DESC", SearchEntity.Param, "my_param", false },
        { "tags.tag1    DESC", SearchEntity.Tag, "tag1", false },
        { "attributes.start_time ASC", SearchEntity.Attribute, "start_time", true },
        { "attributes.status  ASC", SearchEntity.Attribute, "status", true },
        { "start_time", SearchEntity.Attribute, "start_time", true },
        { "created DESC", SearchEntity.Attribute, "start_time", false },
        { "run.end_time", SearchEntity.Attribute, "end_time", true },
        { "attr.run_name DESC", SearchEntity.Attribute, "run_name", false },
        { "run_id", SearchEntity.Attribute, "run_id", true },
        { "user_id", SearchEntity.Attribute, "user_id", true },
        { "artifact_uri", SearchEntity.Attribute, "artifact_uri", true },
    };

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Parses_clauses(string text, SearchEntity entity, string key, bool ascending) =>
        Assert.Equal(new OrderClause(entity, key, ascending), Assert.Single(RunOrderByParser.Parse([text])));

    [Fact]
    public void Keeps_clause_priority_order() =>
        Assert.Equal(
            [new OrderClause(SearchEntity.Param, "my_param", false), new OrderClause(SearchEntity.Attribute, "status", false)],
            RunOrderByParser.Parse(["params.my_param DESC", "attributes.status   DESC"]));

    // MLflow's test_invalid_order_by_search_runs, plus Ferry's own refusals.
    [Theory]
    [InlineData("m.acc", "Invalid entity type 'm'")]
    [InlineData("acc", "Invalid attribute key 'acc'")]
    [InlineData("attri.x", "Invalid entity type 'attri'")]
    [InlineData("`metrics.A", "Invalid order_by clause")]
    [InlineData("`metrics.A`", "Invalid attribute key 'metrics.A'")]
    [InlineData("attribute.start", "Invalid attribute key 'start'")]
    [InlineData("attribute.experiment_id", "Invalid attribute key 'experiment_id'")]
    [InlineData("metrics.A != 1", "Invalid order_by clause")]
    [InlineData("params.my_param ", "Invalid order_by clause")]
    [InlineData("", "Invalid order_by clause")]
    [InlineData("attribute.run_id ACS", "Invalid ordering key")]
    [InlineData("attribute.run_id decs", "Invalid ordering key")]
    [InlineData("metrics.x DESC extra", "Invalid order_by clause")]
    [InlineData("attributes.\"run name\"", "Invalid attribute key 'run name'")]
    [InlineData("datasets.name", "runs cannot be ordered by a dataset field")]
    [InlineData("tags.user-name", "Invalid order_by clause")]
    public void Refuses_malformed_clauses(string text, string expected)
    {
        var error = Assert.Throws<FerryException>(() => RunOrderByParser.Parse([text]));
        Assert.Equal("INVALID_PARAMETER_VALUE", error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics.a", "metrics.a DESC")]
    [InlineData("start_time", "created DESC")]
    [InlineData("params.p", "param.`p`")]
    public void Refuses_duplicate_fields(string first, string second)
    {
        var error = Assert.Throws<FerryException>(() => RunOrderByParser.Parse([first, second]));
        Assert.Contains("`order_by` contains duplicate fields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_key_under_different_entities_is_not_a_duplicate() =>
        Assert.Equal(2, RunOrderByParser.Parse(["metrics.a", "params.a"]).Count);
}
