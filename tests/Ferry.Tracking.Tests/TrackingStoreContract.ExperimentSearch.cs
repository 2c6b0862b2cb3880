using Ferry.Tracking.Model;

namespace Ferry.Tracking.Tests;

/// <summary>MLflow's experiment filter and order_by, on every store. Each test names its experiments with a prefix of its own and filters on it, so tests sharing a database cannot see each other's experiments.</summary>
public abstract partial class TrackingStoreContract
{
    [ContractFact]
    public async Task Experiment_filter_compares_names_exactly_and_with_like_and_ilike()
    {
        var prefix = UniqueName("xs");
        var alpha = await Store.CreateExperimentAsync(prefix + "-Alpha", null, null, None);
        var beta = await Store.CreateExperimentAsync(prefix + "-beta", null, null, None);
        var alphabet = await Store.CreateExperimentAsync(prefix + "-alphabet", null, null, None);

        Assert.Equal([alpha], await SearchIdsAsync($"name = '{prefix}-Alpha'"));
        Assert.Equal([alpha, beta], await SearchIdsAsync($"name LIKE '{prefix}%' AND name != '{prefix}-alphabet'", "experiment_id ASC"));
        // LIKE is case-sensitive, ILIKE is not; '_' matches one character.
        Assert.Equal([alphabet], await SearchIdsAsync($"name LIKE '{prefix}-alpha%'"));
        Assert.Equal([alpha, alphabet], await SearchIdsAsync($"name ILIKE '{prefix}-ALPHA%'", "experiment_id ASC"));
        Assert.Equal([beta], await SearchIdsAsync($"attributes.name LIKE '{prefix}-_eta'"));
        Assert.Empty(await SearchIdsAsync($"name = '{prefix}-alpha'"));
    }

    [ContractFact]
    public async Task Experiment_filter_on_tags_needs_the_tag_and_accepts_quoted_keys()
    {
        var prefix = UniqueName("xt");
        var growth = await Store.CreateExperimentAsync(prefix + "-1", null, [new ExperimentTag("team", "growth"), new ExperimentTag("data.source v2", "crm")], None);
        var risk = await Store.CreateExperimentAsync(prefix + "-2", null, [new ExperimentTag("team", "Risk")], None);
        var untagged = await Store.CreateExperimentAsync(prefix + "-3", null, null, None);
        var named = $"name LIKE '{prefix}%'";

        Assert.Equal([growth], await SearchIdsAsync($"{named} AND tags.team = 'growth'"));
        // An experiment without the tag is not "not equal": MLflow's SQL store joins on the tag.
        Assert.Equal([risk], await SearchIdsAsync($"{named} AND tags.team != 'growth'"));
        Assert.Equal([risk], await SearchIdsAsync($"{named} AND tag.team LIKE 'R%'"));
        Assert.Equal([risk], await SearchIdsAsync($"{named} AND tags.team ILIKE 'risk'"));
        Assert.Equal([growth], await SearchIdsAsync($"{named} AND tags.`data.source v2` = 'crm'"));
        Assert.Equal([growth], await SearchIdsAsync($"{named} AND tags.\"data.source v2\" LIKE 'c%'"));
        Assert.Equal([untagged, risk, growth], await SearchIdsAsync(named));
    }

    [ContractFact]
    public async Task Experiment_filter_compares_creation_and_update_times_as_numbers()
    {
        var prefix = UniqueName("xn");
        var first = await Store.CreateExperimentAsync(prefix + "-1", null, null, None);
        var second = await Store.CreateExperimentAsync(prefix + "-2", null, null, None);
        var third = await Store.CreateExperimentAsync(prefix + "-3", null, null, None);
        await Store.SetExperimentTagAsync(first, "note", "tags leave last_update_time alone", None);
        await Store.RenameExperimentAsync(first, prefix + "-1b", None);
        var created = (await Store.GetExperimentAsync(second, None)).CreationTime;
        var renamed = (await Store.GetExperimentAsync(first, None)).LastUpdateTime;
        var named = $"name LIKE '{prefix}%'";

        Assert.Equal([second], await SearchIdsAsync($"{named} AND creation_time = {created}"));
        Assert.Equal([third, second], await SearchIdsAsync($"{named} AND creation_time >= {created}"));
        Assert.Equal([first], await SearchIdsAsync($"{named} AND creation_time < {created}"));
        Assert.Equal([third, first], await SearchIdsAsync($"{named} AND creation_time != {created}"));
        Assert.Equal([first], await SearchIdsAsync($"{named} AND last_update_time >= {renamed}"));
        Assert.Equal([third, second], await SearchIdsAsync($"{named} AND attributes.last_update_time <= {renamed - 1}.5"));
    }

    [ContractFact]
    public async Task Experiment_order_by_names_ids_and_times_in_either_direction()
    {
        var prefix = UniqueName("xo");
        var b = await Store.CreateExperimentAsync(prefix + "-b", null, null, None);
        var a = await Store.CreateExperimentAsync(prefix + "-a", null, null, None);
        var upper = await Store.CreateExperimentAsync(prefix + "-B", null, null, None);
        var named = $"name LIKE '{prefix}%'";

        // Code-point order: upper case before lower case.
        Assert.Equal([upper, a, b], await SearchIdsAsync(named, "name"));
        Assert.Equal([b, a, upper], await SearchIdsAsync(named, "name DESC"));
        Assert.Equal([b, a, upper], await SearchIdsAsync(named, "creation_time ASC"));
        Assert.Equal([upper, a, b], await SearchIdsAsync(named, "attributes.experiment_id desc"));
        Assert.Equal([b, a, upper], await SearchIdsAsync(named, "experiment_id"));
        Assert.Equal([upper, a, b], await SearchIdsAsync(named));

        await Store.RenameExperimentAsync(b, prefix + "-z", None);
        Assert.Equal([b, upper, a], await SearchIdsAsync(named, "last_update_time DESC", "name"));
    }

    [ContractFact]
    public async Task Experiment_order_ties_fall_back_to_the_id_descending()
    {
        var prefix = UniqueName("xe");
        var first = await Store.CreateExperimentAsync(prefix + "-1", null, null, None);
        var second = await Store.CreateExperimentAsync(prefix + "-2", null, null, None);
        var third = await Store.CreateExperimentAsync(prefix + "-3", null, null, None);
        // Give two of them the same creation time, which the stepping clock never does.
        await ScalarAsync(Store, $"UPDATE experiments SET creation_time = 5 WHERE experiment_id IN ({first}, {third})");
        var named = $"name LIKE '{prefix}%'";

        Assert.Equal([third, first, second], await SearchIdsAsync(named, "creation_time"));
        Assert.Equal([second, first, third], await SearchIdsAsync(named, "creation_time DESC", "experiment_id ASC"));
        // Without order_by MLflow breaks creation-time ties by the id ascending.
        Assert.Equal([second, first, third], await SearchIdsAsync(named));
    }

    [ContractFact]
    public async Task Experiment_search_pages_through_a_filtered_ordered_result_once()
    {
        var prefix = UniqueName("xp");
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await Store.CreateExperimentAsync($"{prefix}-{(char)('g' - i)}", null, [new ExperimentTag("even", (i % 2 == 0).ToString())], None));
        }

        var seen = new List<Experiment>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.SearchExperimentsAsync(
                new ExperimentSearchRequest { Filter = $"name LIKE '{prefix}%' AND tags.even = 'True'", OrderBy = ["name ASC"], MaxResults = 3, PageToken = token }, None);
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items);
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        // Names run g, f, e, … as i grows, so name order is the reverse of creation order.
        Assert.Equal(new[] { 6, 4, 2, 0 }.Select(i => created[i]), seen.Select(e => e.ExperimentId));
        Assert.Equal(2, pages);
    }

    [ContractFact]
    public async Task Experiment_filter_respects_the_view_type()
    {
        var prefix = UniqueName("xv");
        var kept = await Store.CreateExperimentAsync(prefix + "-kept", null, null, None);
        var gone = await Store.CreateExperimentAsync(prefix + "-gone", null, null, None);
        await Store.DeleteExperimentAsync(gone, None);
        var filter = $"name LIKE '{prefix}%'";

        Assert.Equal([kept], await SearchIdsAsync(filter));
        Assert.Equal([gone], (await Store.SearchExperimentsAsync(new ExperimentSearchRequest { Filter = filter, ViewType = ViewType.DeletedOnly }, None)).Items.Select(e => e.ExperimentId));
        Assert.Equal([gone, kept], (await Store.SearchExperimentsAsync(new ExperimentSearchRequest { Filter = filter, ViewType = ViewType.All }, None)).Items.Select(e => e.ExperimentId));
    }

    [ContractFact]
    public async Task Malformed_experiment_filters_and_orders_are_refused_naming_the_problem()
    {
        async Task RefusedAsync(string? filter, string? orderBy, string expected)
        {
            var error = await ThrowsAsync(TrackingErrors.InvalidParameterValue, () => Store.SearchExperimentsAsync(
                new ExperimentSearchRequest { Filter = filter, OrderBy = orderBy is null ? null : [orderBy] }, None));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }

        await RefusedAsync("owner = 'ana'", null, "'owner'");
        await RefusedAsync("metrics.acc > 1", null, "'metrics'");
        await RefusedAsync("name > 'a'", null, "string attribute");
        await RefusedAsync("creation_time LIKE '1%'", null, "numeric attribute");
        await RefusedAsync("tags.team < 'b'", null, "tag");
        await RefusedAsync("name IN ('a', 'b')", null, "IN");
        await RefusedAsync("creation_time > 'yesterday'", null, "creation_time");
        await RefusedAsync("name = growth", null, "quoted");
        await RefusedAsync("name = 'a' OR name = 'b'", null, "OR");
        await RefusedAsync("name = 'a' name = 'b'", null, "position 12");
        await RefusedAsync("name = 'unterminated", null, "Unterminated");
        await RefusedAsync(null, "tags.team", "tag");
        await RefusedAsync(null, "run_name", "'run_name'");
        await RefusedAsync(null, "name UP", "ASC or DESC");
        await RefusedAsync(null, "name ASC extra", "order_by");
        await RefusedAsync(null, "", "order_by");
    }

    private async Task<List<string>> SearchIdsAsync(string filter, params string[] orderBy) =>
        (await Store.SearchExperimentsAsync(new ExperimentSearchRequest { Filter = filter, OrderBy = orderBy, MaxResults = 100 }, None))
        .Items.Select(e => e.ExperimentId).ToList();
}
