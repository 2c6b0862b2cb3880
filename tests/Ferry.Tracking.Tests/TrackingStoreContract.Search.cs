using Ferry.Tracking.Model;

namespace Ferry.Tracking.Tests;

public abstract partial class TrackingStoreContract
{
    [ContractFact]
    public async Task Run_search_filters_by_experiment_ids_and_view_type()
    {
        var a = await NewExperimentAsync("a");
        var b = await NewExperimentAsync("b");
        var a1 = await NewRunAsync(a);
        var a2 = await NewRunAsync(a);
        var a3 = await NewRunAsync(a);
        var b1 = await NewRunAsync(b);
        await Store.DeleteRunAsync(a3, None);

        Assert.Equal(new[] { a1, a2 }.Order(), (await SearchIdsAsync([a], ViewType.ActiveOnly)).Order());
        Assert.Equal([a3], await SearchIdsAsync([a], ViewType.DeletedOnly));
        Assert.Equal(new[] { a1, a2, a3 }.Order(), (await SearchIdsAsync([a], ViewType.All)).Order());
        Assert.Equal(new[] { a1, a2, b1 }.Order(), (await SearchIdsAsync([a, b, "987654", "not-an-id"], ViewType.ActiveOnly)).Order());
        Assert.Empty(await SearchIdsAsync([], ViewType.All));
    }

    [ContractFact]
    public async Task Run_search_default_order_is_start_time_descending_then_run_id()
    {
        var experimentId = await NewExperimentAsync();
        long[] starts = [500, 100, 500, 300, 100, 500];
        var runs = new List<(string Id, long Start)>();
        foreach (var start in starts)
        {
            runs.Add((await NewRunAsync(experimentId, start), start));
        }

        var found = await SearchIdsAsync([experimentId], ViewType.ActiveOnly);

        Assert.Equal(runs.OrderByDescending(r => r.Start).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id), found);
    }

    [ContractFact]
    public async Task Run_search_pages_through_2500_runs_in_three_pages_without_duplicates_or_misses()
    {
        var experimentId = await NewExperimentAsync("many");
        var created = new HashSet<string>();
        for (var i = 0; i < 2500; i++)
        {
            // Many equal start times: paging must stay stable through ties.
            created.Add(await NewRunAsync(experimentId, 1_000 + (i % 97)));
        }

        var pages = new List<IReadOnlyList<Run>>();
        string? token = null;
        do
        {
            var page = await Store.SearchRunsAsync(new RunSearchRequest { ExperimentIds = [experimentId], MaxResults = 1000, PageToken = token }, None);
            pages.Add(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null && pages.Count < 10);

        Assert.Equal([1000, 1000, 500], pages.Select(p => p.Count));
        var ids = pages.SelectMany(p => p).Select(r => r.Info.RunId).ToList();
        Assert.Equal(2500, ids.Distinct().Count());
        Assert.True(created.SetEquals(ids));
        var infos = pages.SelectMany(p => p).Select(r => r.Info).ToList();
        Assert.Equal(infos.OrderByDescending(r => r.StartTime).ThenBy(r => r.RunId, StringComparer.Ordinal), infos);
    }

    [ContractFact]
    public async Task Run_search_applies_an_mlflow_filter_and_order_and_returns_run_data()
    {
        var experimentId = await NewExperimentAsync();
        var low = await NewRunAsync(experimentId, name: "c-low");
        var high = await NewRunAsync(experimentId, name: "a-high");
        var mid = await NewRunAsync(experimentId, name: "b-mid");
        await Store.LogBatchAsync(low, [M("acc", 0.2, 1)], [new Param("model", "tree")], [], None);
        await Store.LogBatchAsync(high, [M("acc", 0.9, 1)], [new Param("model", "forest")], [new RunTag("best", "yes")], None);
        await Store.LogBatchAsync(mid, [M("acc", 0.6, 1)], [new Param("model", "forest")], [], None);

        var page = await Store.SearchRunsAsync(new RunSearchRequest
        {
            ExperimentIds = [experimentId],
            Filter = "metrics.acc > 0.5 AND params.model = 'forest'",
            OrderBy = ["attributes.run_name ASC"],
        }, None);

        Assert.Equal([high, mid], page.Items.Select(r => r.Info.RunId));
        Assert.Null(page.NextPageToken);
        var best = page.Items[0];
        Assert.Equal([M("acc", 0.9, 1)], best.Data.Metrics);
        Assert.Equal([new Param("model", "forest")], best.Data.Params);
        Assert.Contains(new RunTag("best", "yes"), best.Data.Tags);
    }

    [ContractFact]
    public async Task Run_search_checks_max_results_and_page_token()
    {
        var experimentId = await NewExperimentAsync();
        await NewRunAsync(experimentId);

        Assert.Contains("max_results", (await ThrowsAsync(TrackingErrors.InvalidParameterValue,
            () => Store.SearchRunsAsync(new RunSearchRequest { ExperimentIds = [experimentId], MaxResults = 0 }, None))).Message, StringComparison.Ordinal);
        await ThrowsAsync(TrackingErrors.InvalidParameterValue,
            () => Store.SearchRunsAsync(new RunSearchRequest { ExperimentIds = [experimentId], MaxResults = TrackingLimits.MaxSearchResults + 1 }, None));
        Assert.Contains("page_token", (await ThrowsAsync(TrackingErrors.InvalidParameterValue,
            () => Store.SearchRunsAsync(new RunSearchRequest { ExperimentIds = [experimentId], PageToken = "%%%" }, None))).Message, StringComparison.Ordinal);
        Assert.Single((await Store.SearchRunsAsync(new RunSearchRequest { ExperimentIds = [experimentId], MaxResults = TrackingLimits.MaxSearchResults }, None)).Items);
    }

    private async Task<List<string>> SearchIdsAsync(IReadOnlyList<string> experimentIds, ViewType viewType)
    {
        var page = await Store.SearchRunsAsync(new RunSearchRequest { ExperimentIds = experimentIds, ViewType = viewType }, None);
        Assert.Null(page.NextPageToken);
        return page.Items.Select(r => r.Info.RunId).ToList();
    }
}
