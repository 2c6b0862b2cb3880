using System.Net;

namespace Ferry.Hosting.Tests;

public sealed class ExperimentEndpointTests
{
    [Fact]
    public async Task Fresh_store_has_the_Default_experiment_0()
    {
        await using var server = await ServerFixture.StartAsync();
        var experiment = (await server.GetAsync("experiments/get?experiment_id=0")).Ok()["experiment"]!;
        Assert.Equal("0", experiment["experiment_id"]!.GetValue<string>());
        Assert.Equal("Default", experiment["name"]!.GetValue<string>());
        Assert.Equal("active", experiment["lifecycle_stage"]!.GetValue<string>());
        Assert.Equal("mlflow-artifacts:/0", experiment["artifact_location"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_get_and_get_by_name_round_trip_with_tags()
    {
        await using var server = await ServerFixture.StartAsync();
        var id = (await server.PostAsync("experiments/create", new { name = "churn", tags = new[] { new { key = "team", value = "ml" } } }))
            .Ok()["experiment_id"]!.GetValue<string>();
        Assert.NotEqual("0", id);

        var byId = (await server.GetAsync($"experiments/get?experiment_id={id}")).Ok()["experiment"]!;
        Assert.Equal("churn", byId["name"]!.GetValue<string>());
        Assert.Equal("team", byId["tags"]![0]!["key"]!.GetValue<string>());
        Assert.True(byId["creation_time"]!.GetValue<long>() > 0);

        var byName = (await server.GetAsync("experiments/get-by-name?experiment_name=churn")).Ok()["experiment"]!;
        Assert.Equal(id, byName["experiment_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_experiment_is_404_and_duplicate_name_is_400()
    {
        await using var server = await ServerFixture.StartAsync();
        (await server.GetAsync("experiments/get-by-name?experiment_name=nope")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.GetAsync("experiments/get?experiment_id=999")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await server.CreateExperimentAsync("dup");
        (await server.PostAsync("experiments/create", new { name = "dup" })).Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
    }

    [Fact]
    public async Task Missing_required_field_names_it()
    {
        await using var server = await ServerFixture.StartAsync();
        var message = (await server.GetAsync("experiments/get")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("Missing value for required parameter 'experiment_id'", message, StringComparison.Ordinal);
        message = (await server.PostAsync("experiments/create", new { })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'name'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_delete_restore_and_tags()
    {
        await using var server = await ServerFixture.StartAsync();
        var id = await server.CreateExperimentAsync("old");
        Assert.Equal("{}", (await server.PostAsync("experiments/update", new { experiment_id = id, new_name = "new" })).Body);
        Assert.Equal("new", (await server.GetAsync($"experiments/get?experiment_id={id}")).Ok()["experiment"]!["name"]!.GetValue<string>());

        Assert.Equal("{}", (await server.PostAsync("experiments/set-experiment-tag", new { experiment_id = id, key = "k", value = "v" })).Body);
        Assert.Equal("v", (await server.GetAsync($"experiments/get?experiment_id={id}")).Ok()["experiment"]!["tags"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("{}", (await server.PostAsync("experiments/delete-experiment-tag", new { experiment_id = id, key = "k" })).Body);
        Assert.Null((await server.GetAsync($"experiments/get?experiment_id={id}")).Ok()["experiment"]!["tags"]);
        (await server.PostAsync("experiments/delete-experiment-tag", new { experiment_id = id, key = "k" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");

        Assert.Equal("{}", (await server.PostAsync("experiments/delete", new { experiment_id = id })).Body);
        Assert.Equal("deleted", (await server.GetAsync($"experiments/get?experiment_id={id}")).Ok()["experiment"]!["lifecycle_stage"]!.GetValue<string>());
        Assert.Equal("{}", (await server.PostAsync("experiments/restore", new { experiment_id = id })).Body);
        Assert.Equal("active", (await server.GetAsync($"experiments/get?experiment_id={id}")).Ok()["experiment"]!["lifecycle_stage"]!.GetValue<string>());

        (await server.PostAsync("experiments/delete", new { experiment_id = "424242" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await server.PostAsync("experiments/update", new { experiment_id = "424242", new_name = "x" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Search_pages_by_token_over_GET_and_POST_with_view_types()
    {
        await using var server = await ServerFixture.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await server.CreateExperimentAsync($"e{i}");
        }

        var deleted = await server.CreateExperimentAsync("gone");
        await server.PostAsync("experiments/delete", new { experiment_id = deleted });

        // Default + e0..e3 are active: 5 in pages of 2 over POST, with max_results as a string.
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = (await server.PostAsync("experiments/search", new { max_results = "2", page_token = token })).Ok();
            names.AddRange(page["experiments"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
            token = page["next_page_token"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(["Default", "e0", "e1", "e2", "e3"], names.Order());

        var all = (await server.GetAsync("experiments/search?view_type=ALL&max_results=100")).Ok();
        Assert.Equal(6, all["experiments"]!.AsArray().Count);
        var onlyDeleted = (await server.GetAsync("experiments/search?view_type=DELETED_ONLY")).Ok();
        Assert.Equal("gone", Assert.Single(onlyDeleted["experiments"]!.AsArray())!["name"]!.GetValue<string>());

        (await server.GetAsync("experiments/search?view_type=SOME")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await server.GetAsync("experiments/search?max_results=0")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await server.GetAsync("experiments/search?page_token=garbage")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("'owner'", (await server.PostAsync("experiments/search", new { filter = "owner = 'x'" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
    }
}
