using System.CommandLine;
using System.Globalization;
using Ferry.Learn.Packaging;
using Ferry.Tracking;
using Ferry.Tracking.Artifacts;
using Ferry.Serving.Sources;
using Ferry.Tracking.Registry;

namespace Ferry.Cli.Commands;

/// <summary>A model package opened (and verified) for scoring, with how to name it to people.</summary>
/// <param name="Package">The opened package; the caller disposes it.</param>
/// <param name="Name">The reference as people read it: the path, or NAME/VERSION.</param>
/// <param name="Downloaded">Whether it was downloaded from the artifact store now (false for a path or a cached copy).</param>
internal sealed record ResolvedPackage(ModelPackage Package, string Name, bool Downloaded);

/// <summary>
/// Finds the package a MODEL argument names: a package folder or zip, or a registered version (<c>NAME@ALIAS</c>,
/// <c>NAME/VERSION</c>) fetched through the home's <see cref="RegistryPackageCache"/>. A cached copy is reused when it
/// came from the same source and still passes the package's SHA-256 check; otherwise it is downloaded again.
/// </summary>
internal static class PackageResolver
{
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
        var version = await FindVersionAsync((IModelRegistry)store, name, number, alias, ct);
        var display = $"{name}/{version.Version}";
        var cache = Cache(context, parse, store);
        if (await cache.FindAsync(version, ct) is { } cached)
        {
            try
            {
                return new ResolvedPackage(await ModelPackage.OpenAsync(cached, ct), display, Downloaded: false);
            }
            catch (FerryException e) when (e.Code is "PACKAGE_INVALID" or "PACKAGE_NOT_FOUND")
            {
                // A damaged cached copy is no reason to fail: the artifact store still has the package.
            }
        }

        var path = await cache.DownloadAsync(version, ct);
        return new ResolvedPackage(await ModelPackage.OpenAsync(path, ct), display, Downloaded: true);
    }

    /// <summary>The home's cache of registered packages (<c>HOME/cache/models</c>), reading through <paramref name="store"/>.</summary>
    public static RegistryPackageCache Cache(CliContext context, ParseResult parse, ITrackingStore store) =>
        new(store, location => TrackingAccess.OpenArtifacts(context, parse, location), Path.Combine(context.Home(parse).Root, "cache", "models"));

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
}
