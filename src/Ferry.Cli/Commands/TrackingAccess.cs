using System.CommandLine;
using Ferry.Tracking;
using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Model;

namespace Ferry.Cli.Commands;

/// <summary>Opening the tracking store for the CLI, and the look-ups the run commands share.</summary>
internal static class TrackingAccess
{
    public static Task<ITrackingStore> OpenAsync(CliContext context, ParseResult parse, CancellationToken ct)
    {
        var options = new TrackingStoreOptions { ArtifactRoot = context.ArtifactsUri(parse) };
        return StoreFactory.OpenAsync(context.StoreUri(parse), options, context.Time, ct);
    }

    /// <summary>Opens a run's artifact location; <c>mlflow-artifacts:/</c> locations resolve under the artifact store <c>ferry server</c> proxies to.</summary>
    public static IArtifactStore OpenArtifacts(CliContext context, ParseResult parse, string location) =>
        ArtifactLocations.Open(location, context.ArtifactsUri(parse), context.S3Options());

    /// <summary>Every experiment of the given view, across pages.</summary>
    public static async Task<List<Experiment>> ExperimentsAsync(ITrackingStore store, ViewType view, CancellationToken ct)
    {
        var all = new List<Experiment>();
        string? token = null;
        do
        {
            var page = await store.SearchExperimentsAsync(view, 1000, token, ct);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);
        return all;
    }

    /// <summary>An experiment by id or, failing that, by name.</summary>
    public static async Task<Experiment> ExperimentAsync(ITrackingStore store, string idOrName, CancellationToken ct)
    {
        if (idOrName.All(char.IsAsciiDigit))
        {
            try
            {
                return await store.GetExperimentAsync(idOrName, ct);
            }
            catch (FerryException e) when (e.Code == TrackingErrors.ResourceDoesNotExist)
            {
                // A name made of digits: try it as a name below.
            }
        }

        return await store.GetExperimentByNameAsync(idOrName, ct);
    }

    public static string Time(long? epochMs) =>
        epochMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "";

    public static string Number(double value) =>
        double.IsNaN(value) ? "NaN" : value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
