using System.Globalization;
using Ferry.Tracking;
using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Registry;

namespace Ferry.Serving.Sources;

/// <summary>
/// Local copies of registered versions' packages: each is downloaded once from the artifact store into
/// <c>CACHE/NAME/VERSION</c>, written atomically, and reused while it came from the same source and still passes the
/// package's SHA-256 check when opened. Shared by <c>ferry predict</c> and the model server.
/// </summary>
/// <param name="store">The tracking store holding the registry and the runs that logged the packages.</param>
/// <param name="openArtifacts">Opens the artifact store a location (a run's artifact URI or a version's source) points at.</param>
/// <param name="root">The cache folder (the Ferry home's <c>cache/models</c>).</param>
public sealed class RegistryPackageCache(ITrackingStore store, Func<string, IArtifactStore> openArtifacts, string root)
{
    private const string OriginFile = "origin.txt";
    private const string PackageFolder = "package";
    private const string PackageZip = "package.zip";

    /// <summary>The cache folder of a registered version: <c>ROOT/NAME/VERSION</c>, the name escaped to one path segment.</summary>
    public string FolderOf(string name, int version)
    {
        ArgumentNullException.ThrowIfNull(name);
        var segment = Uri.EscapeDataString(name);
        if (segment is "." or "..")
        {
            segment = "%2E" + segment[1..];
        }

        return Path.Combine(root, segment, version.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The cached package of a version when its copy is current (same source), else null.</summary>
    /// <param name="version">The registered version.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<string?> FindAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var folder = FolderOf(version.Name, version.Version);
        var origin = await OriginAsync(version, cancellationToken);
        var file = Path.Combine(folder, OriginFile);
        return File.Exists(file) && await File.ReadAllTextAsync(file, cancellationToken) == origin ? PackageIn(folder) : null;
    }

    /// <summary>Downloads a version's package into the cache, replacing any copy there, and returns its path.</summary>
    /// <param name="version">The registered version.</param>
    /// <param name="cancellationToken">Cancels the download; nothing half-written is left.</param>
    /// <exception cref="FerryException">MODEL_NOT_FOUND when the version's files are not at its source.</exception>
    public async Task<string> DownloadAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var display = $"{version.Name}/{version.Version.ToString(CultureInfo.InvariantCulture)}";
        var folder = FolderOf(version.Name, version.Version);
        var origin = await OriginAsync(version, cancellationToken);
        var location = origin.Split('\n')[0];
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        try
        {
            await AtomicDirectory.WriteAsync(folder, async (staging, token) =>
            {
                if (location.StartsWith("runs:/", StringComparison.Ordinal))
                {
                    var rest = location["runs:/".Length..].TrimStart('/');
                    var slash = rest.IndexOf('/', StringComparison.Ordinal);
                    var (runId, path) = slash < 0 ? (rest, "") : (rest[..slash], rest[(slash + 1)..].Trim('/'));
                    var run = await store.GetRunAsync(runId, token);
                    using var artifacts = openArtifacts(run.Info.ArtifactUri);
                    var downloaded = await artifacts.DownloadAsync(path.Length == 0 ? null : path, Path.Combine(staging, "download"), token);
                    Move(downloaded, staging);
                    Directory.Delete(Path.Combine(staging, "download"), recursive: true);
                }
                else if (location.StartsWith("models:/", StringComparison.Ordinal))
                {
                    throw FerryException.NotFound(ServingErrors.ModelNotFound, $"{display}'s source '{location}' names a model this store does not have, so there is nothing to download");
                }
                else
                {
                    using var artifacts = openArtifacts(location);
                    await artifacts.DownloadAsync(null, Path.Combine(staging, PackageFolder), token);
                }

                await File.WriteAllTextAsync(Path.Combine(staging, OriginFile), origin, token);
            }, cancellationToken);
        }
        catch (FerryException e) when (e.Code == TrackingErrors.ResourceDoesNotExist)
        {
            throw FerryException.NotFound(ServingErrors.ModelNotFound, $"the files of {display} are not at its source '{location}' ({e.Message})");
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, OriginFile)))
        {
            // Another process filled the cache first; its copy is as good as ours.
        }

        return PackageIn(folder);
    }

    /// <summary>Where a version's files come from, as recorded beside the copy: its download URI and run.</summary>
    private async Task<string> OriginAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        var location = await ((IModelRegistry)store).GetModelVersionDownloadUriAsync(version.Name, version.Version, cancellationToken);
        return $"{location}\n{version.RunId}\n";
    }

    /// <summary>Moves a downloaded package, a folder or a zip, to its place in the cache entry <paramref name="entry"/>.</summary>
    private static void Move(string downloaded, string entry)
    {
        if (Directory.Exists(downloaded))
        {
            Directory.Move(downloaded, Path.Combine(entry, PackageFolder));
        }
        else
        {
            File.Move(downloaded, Path.Combine(entry, PackageZip));
        }
    }

    /// <summary>The package in a cache entry: its folder, else its zip.</summary>
    private static string PackageIn(string entry) =>
        Directory.Exists(Path.Combine(entry, PackageFolder)) ? Path.Combine(entry, PackageFolder) : Path.Combine(entry, PackageZip);
}
