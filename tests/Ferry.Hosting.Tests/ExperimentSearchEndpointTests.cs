using System.Net;
using System.Text.Json.Nodes;

namespace Ferry.Hosting.Tests;

/// <summary><c>experiments/search</c> with MLflow's filter and order_by, over POST (JSON body) and GET (query string).</summary>
public sealed class ExperimentSearchEndpointTests
{
    [Fact]
    public async Task Search_filters_by_name_and_tag_and_orders_over_post_and_get()
    {
        await using var server = await ServerFixture.StartAsync();
        foreach (var (name, team) in new[] { ("churn-b", "growth"), ("churn-a", "growth"), ("fraud", "growth"), ("churn-c", "risk") })
        {
            (await server.PostAsync("experiments/create", new { name, tags = new[] { new { key = "team", value = team } } })).Ok();
        }

        var posted = (await server.PostAsync("experiments/search", new
        {
            filter = "name LIKE 'churn%' AND tags.team = 'growth'",
            order_by = new[] { "name ASC" },
            max_results = 10,
        })).Ok();
        Assert.Equal(["churn-a", "churn-b"], Names(posted));

        var query = "experiments/search?filter=" + Uri.EscapeDataString("name ILIKE 'CHURN%'") + "&order_by=" + Uri.EscapeDataString("name DESC") + "&max_results=2";
        var first = (await server.GetAsync(query)).Ok();
        Assert.Equal(["churn-c", "churn-b"], Names(first));
        var token = first["next_page_token"]!.GetValue<string>();
        var second = (await server.GetAsync(query + "&page_token=" + Uri.EscapeDataString(token))).Ok();
        Assert.Equal(["churn-a"], Names(second));
        Assert.Null(second["next_page_token"]);

        // Repeated order_by keys in a query string are the list, in order.
        var repeated = (await server.GetAsync("experiments/search?filter=" + Uri.EscapeDataString("tags.team = 'growth'")
            + "&order_by=" + Uri.EscapeDataString("name DESC") + "&order_by=creation_time")).Ok();
        // The first key decides here: experiments created within one millisecond tie on creation_time.
        Assert.Equal(["fraud", "churn-b", "churn-a"], Names(repeated));

        // Nothing matches: MLflow answers {} (no empty list).
        Assert.Empty((await server.PostAsync("experiments/search", new { filter = "name = 'none'" })).Ok());
    }

    [Theory]
    [InlineData("name > 'a'", "string attribute")]
    [InlineData("tags.team IN ('a')", "IN")]
    [InlineData("creation_time = 'today'", "creation_time")]
    [InlineData("name = 'a' OR name = 'b'", "OR")]
    [InlineData("params.lr = '1'", "'params'")]
    public async Task Malformed_filters_are_400_invalid_parameter_value_naming_the_problem(string filter, string named)
    {
        await using var server = await ServerFixture.StartAsync();
        var message = (await server.PostAsync("experiments/search", new { filter })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_order_by_is_400_invalid_parameter_value()
    {
        await using var server = await ServerFixture.StartAsync();
        var message = (await server.GetAsync("experiments/search?order_by=" + Uri.EscapeDataString("start_time DESC"))).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'start_time'", message, StringComparison.Ordinal);
    }

    private static List<string> Names(JsonObject page) =>
        page["experiments"]?.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToList() ?? [];
}
