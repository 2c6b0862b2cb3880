using System.CommandLine;
using System.Globalization;
using Ferry.Learn.Packaging;
using Ferry.Tracking;
using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Registry;

namespace Ferry.Cli.Commands;

/// <summary>A model package opened (and verified) for scoring, with how to name it to people.</summary>
/// <param name="Package">The opened package; the caller disposes it.</param>
/// <param name="Name">The reference as people read it: the path, or NAME/VERSION.</param>
/// <param name="Downloaded">Whether it was downloaded from the artifact store now (false for a path or a cached copy).</param>
internal sealed record ResolvedPackage(ModelPackage Package, string Name, bool Downloaded);

/// <summary>
/// Finds the package a MODEL argument names: a package folder or zip, or a registered version (<c>NAME@ALIAS</c>,
/// <c>NAME/VERSION</c>) whose source is downloaded from the artifact store into the Ferry home's cache, keyed by name
/// and version. A cached copy is reused when it came from the same source and still passes the package's SHA-256 check;
/// otherwise it is downloaded again.
/// </summary>
internal static class PackageResolver
{
    private const string OriginFile = "origin.txt";
    private const string PackageFolder = "package";
    private const string PackageZip = "package.zip";

    public static async Task<ResolvedPackage> OpenAsync(CliContext context, ParseResult parse, string reference, CancellationToken ct)
    {
        if (Directory.Exists(reference) || File.Exists(reference))
        {
            return new ResolvedPackage(await ModelPackage.OpenAsync(reference, ct), reference, Downloaded: false);
        }

        var (name, number, alias) = ModelsCommand.ParseReference(reference);
        if (number is null && alias is null)
        {
            throw FerryException.NotFound(
                "MODEL_NOT_FOUND",
                $"'{reference}' is neither a model package (no such file or folder) nor a registered model reference: give a package path, NAME@ALIAS or NAME/VERSION");
        }

        await using var store = await TrackingAccess.OpenAsync(context, parse, ct);
        var registry = (IModelRegistry)store;
        var version = await FindVersionAsync(registry, name, number, alias, ct);
        var display = $"{name}/{version.Version}";
        var location = await registry.GetModelVersionDownloadUriAsync(name, version.Version, ct);
        var cache = CacheFolder(context.Home(parse), name, version.Version);
        var origin = $"{location}\n{version.RunId}\n";
        if (await ReadOriginAsync(cache, ct) == origin)
        {
            try
            {
                return new ResolvedPackage(await ModelPackage.OpenAsync(PackageIn(cache), ct), display, Downloaded: false);
            }
            catch (FerryException e) when (e.Code is "PACKAGE_INVALID" or "PACKAGE_NOT_FOUND")
            {
                // A damaged cached copy is no reason to fail: the artifact store still has the package.
            }
        }

        if (Directory.Exists(cache))
        {
            Directory.Delete(cache, recursive: true);
        }

        await DownloadAsync(context, parse, store, display, location, cache, origin, ct);
        return new ResolvedPackage(await ModelPackage.OpenAsync(PackageIn(cache), ct), display, Downloaded: true);
    }

    /// <summary>The cache folder of a registered version: <c>HOME/cache/models/NAME/VERSION</c>, the name escaped to one path segment.</summary>
    public static string CacheFolder(FerryHome home, string name, int version)
    {
        var segment = Uri.EscapeDataString(name);
        if (segment is "." or "..")
        {
            segment = "%2E" + segment[1..];
        }

        return Path.Combine(home.Root, "cache", "models", segment, version.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task<ModelVersion> FindVersionAsync(IModelRegistry registry, string name, int? number, string? alias, CancellationToken ct)
    {
        RegisteredModel model;
        try
        {
            model = await registry.GetRegisteredModelAsync(name, ct);
        }
        catch (FerryException e) when (e.Code == TrackingErrors.ResourceDoesNotExist)
        {
            throw FerryException.NotFound("MODEL_NOT_FOUND", $"no registered model is named '{name}'; `ferry models list` shows them");
        }

        if (alias is not null)
        {
            if (!model.Aliases.Any(a => a.Alias == alias))
            {
                var known = model.Aliases.Count == 0 ? "it has none" : "its aliases: " + string.Join(", ", model.Aliases.Select(a => $"{a.Alias} (version {a.Version})"));
                throw FerryException.NotFound("MODEL_NOT_FOUND", $"model '{name}' has no alias '{alias}' ({known}); set one with `ferry models alias set {name} {alias} VERSION`");
            }

            return await registry.GetModelVersionByAliasAsync(name, alias, ct);
        }

        try
        {
            return await registry.GetModelVersionAsync(name, number!.Value, ct);
        }
        catch (FerryException e) when (e.Code == TrackingErrors.ResourceDoesNotExist)
        {
            throw FerryException.NotFound("MODEL_NOT_FOUND", $"model '{name}' has no version {number}; `ferry models show {name}` lists its versions");
        }
    }

    private static async Task DownloadAsync(CliContext context, ParseResult parse, ITrackingStore store, string display, string location, string cache, string origin, CancellationToken ct)
    {
        try
        {
            await AtomicDirectory.WriteAsync(cache, async (staging, token) =>
            {
                var package = Path.Combine(staging, PackageFolder);
                if (location.StartsWith("runs:/", StringComparison.Ordinal))
                {
                    var rest = location["runs:/".Length..].TrimStart('/');
                    var slash = rest.IndexOf('/', StringComparison.Ordinal);
                    var (runId, path) = slash < 0 ? (rest, "") : (rest[..slash], rest[(slash + 1)..].Trim('/'));
                    var run = await store.GetRunAsync(runId, token);
                    using var artifacts = TrackingAccess.OpenArtifacts(context, parse, run.Info.ArtifactUri);
                    var downloaded = await artifacts.DownloadAsync(path.Length == 0 ? null : path, Path.Combine(staging, "download"), token);
                    Move(downloaded, staging);
                    Directory.Delete(Path.Combine(staging, "download"), recursive: true);
                }
                else if (location.StartsWith("models:/", StringComparison.Ordinal))
                {
                    throw FerryException.NotFound("MODEL_NOT_FOUND", $"{display}'s source '{location}' names a model this store does not have, so there is nothing to download");
                }
                else
                {
                    using var artifacts = TrackingAccess.OpenArtifacts(context, parse, location);
                    await artifacts.DownloadAsync(null, package, token);
                }

                await File.WriteAllTextAsync(Path.Combine(staging, OriginFile), origin, token);
            }, ct);
        }
        catch (FerryException e) when (e.Code == TrackingErrors.ResourceDoesNotExist)
        {
            throw FerryException.NotFound("MODEL_NOT_FOUND", $"the files of {display} are not at its source '{location}' ({e.Message})");
        }
        catch (IOException) when (File.Exists(Path.Combine(cache, OriginFile)))
        {
            // Another ferry predict filled the cache first; its copy is as good as ours.
        }
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

    private static async Task<string?> ReadOriginAsync(string cache, CancellationToken ct)
    {
        var file = Path.Combine(cache, OriginFile);
        return File.Exists(file) ? await File.ReadAllTextAsync(file, ct) : null;
    }
}
