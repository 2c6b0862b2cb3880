using Ferry.Tracking.Client.Remote;
using Ferry.Tracking.Tests;

namespace Ferry.Tracking.Client.Tests.Remote;

/// <summary>
/// The tracking-store contract, run against <see cref="RestTrackingStore"/> talking to a real <c>ferry server</c> over
/// HTTP: every test gets a server of its own (over a fresh SQLite file, on the test's clock), and the facts that check
/// SQL read the server's database directly. Facts that cannot hold for a client of a server are skipped with the reason.
/// </summary>
[SkipContractFacts(
    "RestTrackingStore is an ITrackingStore only; the registry and logged models over REST are covered by Ferry.Hosting.Tests " +
    "(RegistryEndpointTests, LoggedModelEndpointTests, the golden MLflow traffic)",
    nameof(Registered_model_reads_back_with_description_and_tags),
    nameof(Registry_errors_use_mlflow_codes_and_name_the_field),
    nameof(Model_versions_are_numbered_per_model_and_keep_what_was_registered),
    nameof(Deleted_version_numbers_are_not_reused_and_its_aliases_and_tags_go),
    nameof(Descriptions_update_and_touch_the_update_time),
    nameof(Rename_carries_versions_tags_and_aliases_and_refuses_a_taken_name),
    nameof(Deleting_a_model_removes_its_versions_tags_and_aliases),
    nameof(Tags_set_overwrite_and_delete_on_models_and_versions),
    nameof(Stage_transitions_archive_existing_versions_only_when_asked),
    nameof(Latest_versions_are_the_highest_number_in_each_stage),
    nameof(Aliases_point_move_resolve_and_delete),
    nameof(Bad_aliases_are_refused_naming_the_alias),
    nameof(Registered_models_search_by_name_and_tags),
    nameof(Registered_models_page_and_order),
    nameof(Malformed_registry_searches_are_invalid_parameter_value),
    nameof(Model_versions_search_by_name_run_source_version_and_tags),
    nameof(Lineage_traces_a_version_to_its_run_data_commit_and_datasets),
    nameof(Concurrent_registrations_get_versions_one_to_eight),
    nameof(Concurrent_archiving_promotions_leave_one_version_in_production),
    nameof(A_store_from_before_the_registry_is_upgraded_in_place),
    nameof(Logged_model_is_created_pending_under_the_experiment_location_and_reads_back),
    nameof(Logged_model_is_finalized_tagged_and_deleted),
    nameof(Logged_model_errors_use_mlflow_codes),
    nameof(Logged_model_search_filters_by_experiment_and_name_newest_first),
    nameof(Run_outputs_record_models_once_per_run_and_vanish_with_the_model),
    nameof(A_store_from_before_logged_models_is_upgraded_in_place),
    nameof(A_models_uri_source_alone_names_the_logged_model_and_its_files),
    nameof(Registering_a_logged_model_tags_it_with_the_version_as_mlflow_writes_it),
    nameof(A_runs_uri_source_naming_a_model_the_run_logged_registers_that_model),
    nameof(A_models_uri_naming_no_logged_model_is_refused_and_writes_nothing))]
[SkipContractFacts(
    "a client never opens the database: the server checks the schema when it starts, and does not start on a newer one",
    nameof(A_store_with_a_newer_schema_is_refused))]
[SkipContractFacts(
    "StoreFactory opens databases; a server is reached with new RestTrackingStore(url) or Tracker.ForServer(url)",
    nameof(Store_factory_opens_the_same_store_by_uri))]
public sealed class RestTrackingStoreContractTests : TrackingStoreContract
{
    private readonly Dictionary<string, RemoteServer> _servers = new(StringComparer.Ordinal);

    protected override Task<string> SharedLocationAsync() => NewLocationAsync();

    /// <summary>A new server over a new database; the location is its URL.</summary>
    protected override async Task<string> NewLocationAsync()
    {
        var server = await RemoteServer.StartAsync(Time, ArtifactRoot);
        lock (_servers)
        {
            _servers.Add(server.Url.ToString(), server);
        }

        return server.Url.ToString();
    }

    protected override Task<ITrackingStore> OpenAsync(string location) =>
        Task.FromResult<ITrackingStore>(new RestTrackingStore(new Uri(location), Time));

    protected override string UriFor(string location) => location;

    protected override async Task<ITrackingStore> SqlStoreBehindAsync(ITrackingStore store)
    {
        if (store is not RestTrackingStore rest)
        {
            return store;
        }

        RemoteServer server;
        lock (_servers)
        {
            server = _servers[rest.ServerUrl.ToString()];
        }

        return await server.StoreAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }
    }
}
