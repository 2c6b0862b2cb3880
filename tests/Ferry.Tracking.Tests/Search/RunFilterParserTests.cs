using Ferry.Tracking.Search;

namespace Ferry.Tracking.Tests.Search;

public sealed class RunFilterParserTests
{
    private static RunComparison Single(string filter) => Assert.Single(RunFilterParser.Parse(filter).Comparisons);

    private static FerryException Fails(string filter)
    {
        var error = Assert.Throws<FerryException>(() => RunFilterParser.Parse(filter));
        Assert.Equal("INVALID_PARAMETER_VALUE", error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        return error;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_filter_matches_everything(string? filter) => Assert.Empty(RunFilterParser.Parse(filter).Comparisons);

    // The valid cases of MLflow's tests/utils/test_search_utils.py::test_filter, with MLflow's entity names mapped.
    public static TheoryData<string, SearchEntity, string, SearchComparator, string> MlflowValidCases => new()
    {
        { "metric.acc >= 0.94", SearchEntity.Metric, "acc", SearchComparator.GreaterOrEqual, "0.94" },
        { "metric.acc>=100", SearchEntity.Metric, "acc", SearchComparator.GreaterOrEqual, "100" },
        { "params.m!='tf'", SearchEntity.Param, "m", SearchComparator.NotEqual, "tf" },
        { "params.\"m\"!=\"tf\"", SearchEntity.Param, "m", SearchComparator.NotEqual, "tf" },
        { "metric.\"legit name\" >= 0.243", SearchEntity.Metric, "legit name", SearchComparator.GreaterOrEqual, "0.243" },
        { "metrics.XYZ = 3", SearchEntity.Metric, "XYZ", SearchComparator.Equal, "3" },
        { "params.\"cat dog\" = \"pets\"", SearchEntity.Param, "cat dog", SearchComparator.Equal, "pets" },
        { "metrics.\"X-Y-Z\" = 3", SearchEntity.Metric, "X-Y-Z", SearchComparator.Equal, "3" },
        { "metrics.\"X//Y#$$@&Z\" = 3", SearchEntity.Metric, "X//Y#$$@&Z", SearchComparator.Equal, "3" },
        { "params.model = 'LinearRegression'", SearchEntity.Param, "model", SearchComparator.Equal, "LinearRegression" },
        { "`metric`.a >= 0.1", SearchEntity.Metric, "a", SearchComparator.GreaterOrEqual, "0.1" },
        { "tags.version = 'commit-hash'", SearchEntity.Tag, "version", SearchComparator.Equal, "commit-hash" },
        { "`tags`.source_name = 'a notebook'", SearchEntity.Tag, "source_name", SearchComparator.Equal, "a notebook" },
        { "metrics.\"accuracy.2.0\" > 5", SearchEntity.Metric, "accuracy.2.0", SearchComparator.Greater, "5" },
        { "metrics.`spacey name` > 5", SearchEntity.Metric, "spacey name", SearchComparator.Greater, "5" },
        { "params.\"p.a.r.a.m\" != \"a\"", SearchEntity.Param, "p.a.r.a.m", SearchComparator.NotEqual, "a" },
        { "tags.\"t.a.g\" = \"a\"", SearchEntity.Tag, "t.a.g", SearchComparator.Equal, "a" },
        { "attribute.artifact_uri = '1/23/4'", SearchEntity.Attribute, "artifact_uri", SearchComparator.Equal, "1/23/4" },
        { "attribute.start_time >= 1234", SearchEntity.Attribute, "start_time", SearchComparator.GreaterOrEqual, "1234" },
        { "run.status = 'RUNNING'", SearchEntity.Attribute, "status", SearchComparator.Equal, "RUNNING" },
        { "dataset.name = 'my_dataset'", SearchEntity.Dataset, "name", SearchComparator.Equal, "my_dataset" },
        { "params.m = \"L'Hosp\"", SearchEntity.Param, "m", SearchComparator.Equal, "L'Hosp" },
        // Ferry's additions to the documented grammar.
        { "metrics.val.loss < 0.5", SearchEntity.Metric, "val.loss", SearchComparator.Less, "0.5" },
        { "tags.\"user-name\" = 'bob'", SearchEntity.Tag, "user-name", SearchComparator.Equal, "bob" },
        { "tags.`mlflow.prompt.is_prompt` = 'true'", SearchEntity.Tag, "mlflow.prompt.is_prompt", SearchComparator.Equal, "true" },
        { "attr.user_id LIKE 'al%'", SearchEntity.Attribute, "user_id", SearchComparator.Like, "al%" },
        { "attributes.run_name ilike 'Trial%'", SearchEntity.Attribute, "run_name", SearchComparator.ILike, "Trial%" },
        { "created > 5", SearchEntity.Attribute, "start_time", SearchComparator.Greater, "5" },
        { "attributes.Created < 5", SearchEntity.Attribute, "start_time", SearchComparator.Less, "5" },
        { "`Run name` = 'x'", SearchEntity.Attribute, "run_name", SearchComparator.Equal, "x" },
        { "attributes.\"run name\" = 'x'", SearchEntity.Attribute, "run_name", SearchComparator.Equal, "x" },
        { "status = 'FINISHED'", SearchEntity.Attribute, "status", SearchComparator.Equal, "FINISHED" },
        { "datasets.context Like 'tr%'", SearchEntity.Dataset, "context", SearchComparator.Like, "tr%" },
        { "parameters.alpha = 'it''s'", SearchEntity.Param, "alpha", SearchComparator.Equal, "it's" },
        { "parameters.alpha = 'it\\'s'", SearchEntity.Param, "alpha", SearchComparator.Equal, "it's" },
        { "params.path = 'C:\\temp'", SearchEntity.Param, "path", SearchComparator.Equal, "C:\\temp" },
        { "tags.x LIKE 'a\\\\'", SearchEntity.Tag, "x", SearchComparator.Like, "a\\\\" },
        { "tags.x LIKE '100\\%'", SearchEntity.Tag, "x", SearchComparator.Like, "100\\%" },
    };

    [Theory]
    [MemberData(nameof(MlflowValidCases))]
    public void Parses_mlflow_examples(string filter, SearchEntity entity, string key, SearchComparator comparator, string value)
    {
        var comparison = Single(filter);
        Assert.Equal(entity, comparison.Entity);
        Assert.Equal(key, comparison.Key);
        Assert.Equal(comparator, comparison.Comparator);
        var text = comparison.Value switch
        {
            StringValue s => s.Value,
            NumberValue n => n.Text,
            _ => throw new InvalidOperationException(comparison.Value.ToString()),
        };
        Assert.Equal(value, text);
    }

    [Fact]
    public void And_joins_comparisons_in_order_ignoring_keyword_case()
    {
        var filter = RunFilterParser.Parse("metrics.rmse < 1 and params.model_class = 'LR' AnD tags.a != 'b'");
        Assert.Equal(
            [
                new RunComparison(SearchEntity.Metric, "rmse", SearchComparator.Less, new NumberValue(1, "1")),
                new RunComparison(SearchEntity.Param, "model_class", SearchComparator.Equal, new StringValue("LR")),
                new RunComparison(SearchEntity.Tag, "a", SearchComparator.NotEqual, new StringValue("b")),
            ],
            filter.Comparisons);
    }

    [Theory]
    [InlineData("metrics.x = -1", -1.0)]
    [InlineData("metrics.x = 1.5e3", 1500.0)]
    [InlineData("metrics.x = -2.5E-2", -0.025)]
    [InlineData("metrics.x = .5", 0.5)]
    [InlineData("metrics.x = -.5", -0.5)]
    [InlineData("metrics.x = 3.", 3.0)]
    [InlineData("metrics.x = 1e999", double.PositiveInfinity)]
    [InlineData("metrics.x = -1e999", double.NegativeInfinity)]
    public void Reads_numbers(string filter, double expected) =>
        Assert.Equal(expected, Assert.IsType<NumberValue>(Single(filter).Value).Value);

    [Fact]
    public void Integer_literals_keep_their_integer_value()
    {
        Assert.Equal(1700000000123L, Assert.IsType<NumberValue>(Single("start_time > 1700000000123").Value).IntegerValue);
        Assert.Null(Assert.IsType<NumberValue>(Single("start_time > 1.5").Value).IntegerValue);
    }

    [Fact]
    public void In_lists_keep_order_and_quotes_of_both_kinds()
    {
        var comparison = Single("datasets.name IN ('iris', \"wine\" , 'Digits')");
        Assert.Equal(SearchComparator.In, comparison.Comparator);
        Assert.Equal(new StringListValue(["iris", "wine", "Digits"]), comparison.Value);

        var notIn = Single("attributes.run_id not in ('abc')");
        Assert.Equal(SearchComparator.NotIn, notIn.Comparator);
        Assert.Equal(new StringListValue(["abc"]), notIn.Value);
    }

    [Fact]
    public void Run_id_lists_drop_ids_that_are_not_lower_case_like_mlflow()
    {
        var comparison = Single("run_id IN ('a1b2', 'A1B2', '1234', 'ab')");
        Assert.Equal(new StringListValue(["a1b2", "ab"]), comparison.Value);
    }

    [Theory]
    [InlineData("tags.env IS NULL", SearchEntity.Tag, SearchComparator.IsNull)]
    [InlineData("tags.env is not null", SearchEntity.Tag, SearchComparator.IsNotNull)]
    [InlineData("params.lr IS NULL", SearchEntity.Param, SearchComparator.IsNull)]
    [InlineData("params.lr IS NOT NULL", SearchEntity.Param, SearchComparator.IsNotNull)]
    public void Is_null_applies_to_tags_and_params(string filter, SearchEntity entity, SearchComparator comparator)
    {
        var comparison = Single(filter);
        Assert.Equal((entity, comparator), (comparison.Entity, comparison.Comparator));
        Assert.Same(NullValue.Instance, comparison.Value);
    }

    [Fact]
    public void Is_null_combines_with_and()
    {
        var comparisons = RunFilterParser.Parse("tags.a IS NULL AND params.b = 'val'").Comparisons;
        Assert.Equal(2, comparisons.Count);
        Assert.Equal(SearchComparator.IsNull, comparisons[0].Comparator);
        Assert.Equal(new StringValue("val"), comparisons[1].Value);
    }

    // MLflow's error cases (test_error_filter, test_error_comparison_clauses, test_bad_quotes, test_invalid_clauses,
    // test_bad_comparators) with the part of MLflow's message Ferry keeps.
    [Theory]
    [InlineData("metric.acc >= 0.94; metrics.rmse < 1", "Search filter contained multiple expression")]
    [InlineData("m.acc >= 0.94", "Invalid entity type 'm'")]
    [InlineData("acc >= 0.94", "Invalid attribute key 'acc'")]
    [InlineData("p.model >= 'LR'", "Invalid entity type 'p'")]
    [InlineData("attri.x != 1", "Invalid entity type 'attri'")]
    [InlineData("model >= 'LR'", "Invalid attribute key 'model'")]
    [InlineData("metrics.A > 0.1 OR params.B = 'LR'", "Invalid clause(s) in filter string: 'OR' at position 17")]
    [InlineData("metrics.A > 0.1 NAND params.B = 'LR'", "Invalid clause(s) in filter string: 'NAND'")]
    [InlineData("metrics.A > 0.1 AND (params.B = 'LR')", "Parentheses are not supported")]
    [InlineData("`metrics.A > 0.1", "Unterminated quoted key")]
    [InlineData("attribute.start != 1", "Invalid attribute key 'start'")]
    [InlineData("attribute.experiment_id != 1", "Invalid attribute key 'experiment_id'")]
    [InlineData("attribute.lifecycle_stage = 'ACTIVE'", "Invalid attribute key 'lifecycle_stage'")]
    [InlineData("attribute._status != 'RUNNING'", "Invalid attribute key '_status'")]
    [InlineData("attribute.status = true", "not quoted or unidentified quote types")]
    [InlineData("dataset.status = 'true'", "Invalid dataset key 'status'")]
    [InlineData("dataset.profile = 'num_rows: 10'", "Invalid dataset key 'profile'")]
    [InlineData("metrics.acc IS NULL", "IS NULL / IS NOT NULL is only supported for tags and params, not for metric 'acc'")]
    [InlineData("attribute.status IS NULL", "IS NULL / IS NOT NULL is only supported for tags and params")]
    [InlineData("metric.model = 'LR'", "Expected a numeric value for metric 'model'")]
    [InlineData("metric.model = '5'", "Expected a numeric value for metric 'model'")]
    [InlineData("params.acc = 5", "Expected a quoted string value for param 'acc'")]
    [InlineData("tags.acc = 5", "Expected a quoted string value for tag 'acc'")]
    [InlineData("metrics.acc != metrics.acc", "Expected a numeric value for metric 'acc'")]
    [InlineData("1.0 > metrics.acc", "Expected an identifier")]
    [InlineData("attribute.status = 1", "Expected a quoted string value for attribute 'status'")]
    [InlineData("params.acc = LR", "not quoted or unidentified quote types")]
    [InlineData("params.acc = `LR`", "not quoted or unidentified quote types")]
    [InlineData("params.acc = 'LR", "Unterminated string starting at position 14")]
    [InlineData("params.acc = \"LR'", "Unterminated string")]
    [InlineData("tags.acc = = 'LR'", "Expected a quoted string value for tag 'acc' (e.g. 'my-value') at position 12, found '='")]
    [InlineData("attribute.status IS 'RUNNING'", "IS must be followed by NULL or NOT NULL")]
    [InlineData("params.acc LR !=", "Expected a comparator after param 'acc'")]
    [InlineData("metric.acc !=", "Expected a numeric value for metric 'acc' at position 14, found the end of the input")]
    [InlineData("acc != 1.0", "Invalid attribute key 'acc'")]
    [InlineData("foo is null", "Invalid attribute key 'foo'")]
    [InlineData("1=1", "Expected an identifier")]
    [InlineData("metrics.loss >> 1", "Invalid comparator '>>' for metric 'loss' at position 14")]
    [InlineData("metrics.abc ~ 1", "Invalid comparator '~' for metric 'abc'")]
    [InlineData("metrics.abc LIKE 1", "Invalid comparator 'LIKE' for metric 'abc'")]
    [InlineData("metrics.abc IN ('1')", "Invalid comparator 'IN' for metric 'abc'")]
    [InlineData("params.abc > 'x'", "Invalid comparator '>' for param 'abc'")]
    [InlineData("params.abc IN ('x')", "Invalid comparator 'IN' for param 'abc'")]
    [InlineData("tags.abc <= 'x'", "Invalid comparator '<=' for tag 'abc'")]
    [InlineData("tags.abc NOT IN ('x')", "Invalid comparator 'NOT IN' for tag 'abc'")]
    [InlineData("attributes.status > 'x'", "Invalid comparator '>' for attribute 'status'")]
    [InlineData("attributes.start_time LIKE 1234", "Invalid comparator 'LIKE' for attribute 'start_time'")]
    [InlineData("attributes.start_time ILIKE 1234", "Invalid comparator 'ILIKE' for attribute 'start_time'")]
    [InlineData("datasets.name >= 'x'", "Invalid comparator '>=' for dataset 'name'")]
    [InlineData("attributes.run_name IN ('foo','bar')", "Only the 'run_id' attribute supports comparison with a list")]
    [InlineData("attributes.start_time = 'now'", "Expected a numeric value for attribute 'start_time'")]
    [InlineData("datasets.name = 40", "Expected a quoted string value for dataset 'name'")]
    [InlineData("run_id IN ()", "expected a non-empty list of string values, but got empty list")]
    [InlineData("run_id IN ('a', 1)", "expected string value, punctuation, or whitespace, but got '1'")]
    [InlineData("run_id IN ('a' 'b')", "expected ',' or ')'")]
    [InlineData("run_id IN 'a'", "Expected a parenthesised list")]
    [InlineData("tags.user-name = 'x'", "Unexpected character '-' at position 10")]
    [InlineData("metrics. = 1", "a key must follow the '.'")]
    [InlineData("metrics.x < 1 AND", "found the end of the input")]
    [InlineData("tags.x LIKE 'abc\\'", "Unterminated string")]
    [InlineData("metrics.x < 12abc", "Invalid number '12abc'")]
    [InlineData("tags.x NOT LIKE 'a'", "Invalid comparator 'NOT LIKE' for tag 'x'")]
    public void Refuses_malformed_filters_with_a_message_naming_the_problem(string filter, string expected)
    {
        var error = Fails(filter);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_attribute_message_lists_the_valid_keys()
    {
        var error = Fails("attributes.foo = 'x'");
        Assert.Contains("Valid keys are 'Created', 'Run Name', 'Run name', 'artifact_uri', 'created', 'end_time', " +
                        "'run name', 'run_id', 'run_name', 'start_time', 'status', 'user_id'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entity_prefixes_are_case_sensitive_like_mlflow() =>
        Assert.Contains("Invalid entity type 'Metrics'", Fails("Metrics.x > 1").Message, StringComparison.Ordinal);
}
