using System.Globalization;

namespace Ferry.Serving.Sources;

/// <summary>
/// Serves the packages in a folder laid out as TF Serving's model base paths: <c>ROOT/NAME/VERSION/</c> (a package
/// folder) or <c>ROOT/NAME/VERSION.zip</c>, versions being positive whole numbers. Each model serves its highest
/// version and keeps the <paramref name="keepLatest"/> highest loaded; dropping a version's folder unloads it, so
/// rolling back is removing the bad version.
/// </summary>
/// <param name="root">The models folder.</param>
/// <param name="keepLatest">How many of the highest versions to keep loaded (1 or more).</param>
public sealed class FolderSource(string root, int keepLatest = 1) : ModelSource
{
    /// <inheritdoc />
    public override string Description => $"model folder {root}";

    /// <inheritdoc />
    public override Task<IReadOnlyList<ModelTarget>> ReadTargetsAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            throw FerryException.NotFound(ServingErrors.ModelNotFound, $"the model folder {root} does not exist; create it with one subfolder per model (NAME/1/, NAME/2/ ...)");
        }

        var targets = new List<ModelTarget>();
        foreach (var model in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var versions = Versions(model).OrderDescending().Take(Math.Max(1, keepLatest)).ToList();
            if (versions.Count > 0)
            {
                targets.Add(new ModelTarget(Path.GetFileName(model), versions[0], versions[1..], new Dictionary<string, int>()));
            }
        }

        return Task.FromResult<IReadOnlyList<ModelTarget>>(targets);
    }

    /// <inheritdoc />
    public override Task<string> LocateAsync(ServableId id, CancellationToken cancellationToken)
    {
        var version = id.Version.ToString(CultureInfo.InvariantCulture);
        var folder = Path.Combine(root, id.Model, version);
        var zip = folder + ".zip";
        return Directory.Exists(folder) ? Task.FromResult(folder)
            : File.Exists(zip) ? Task.FromResult(zip)
            : throw FerryException.NotFound(ServingErrors.ModelNotFound, $"{id} is no longer in {root}");
    }

    private static IEnumerable<int> Versions(string model)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(model))
        {
            var name = Path.GetFileName(entry);
            var isZip = name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) && File.Exists(entry);
            if (!isZip && !Directory.Exists(entry))
            {
                continue;
            }

            var stem = isZip ? name[..^4] : name;
            if (int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
            {
                yield return version;
            }
        }
    }
}
