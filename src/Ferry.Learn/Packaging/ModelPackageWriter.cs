using System.IO.Compression;
using System.Text.Json;

namespace Ferry.Learn.Packaging;

/// <summary>Writes model packages: all files or nothing, with <c>model.json</c> listing each file's SHA-256.</summary>
public static class ModelPackageWriter
{
    /// <summary>
    /// Writes a package folder at <paramref name="target"/> (which must not exist): <paramref name="writeFiles"/>
    /// puts the flavor's files into the staging folder it is given, then every file there is hashed into the
    /// manifest, and the folder is moved into place. On failure or cancellation nothing is left behind.
    /// </summary>
    /// <param name="target">The package folder to create.</param>
    /// <param name="manifest">The manifest; its <see cref="ModelManifest.Files"/> and format version are filled in here.</param>
    /// <param name="writeFiles">Writes the model's files into the folder it is given.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The manifest as written.</returns>
    public static async Task<ModelManifest> WriteAsync(string target, ModelManifest manifest, Func<string, CancellationToken, Task> writeFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(writeFiles);
        if (Directory.Exists(target) || File.Exists(target))
        {
            throw FerryException.Conflict("PACKAGE_EXISTS", $"'{target}' already exists; choose a new folder for the model package");
        }

        ModelManifest? written = null;
        await AtomicDirectory.WriteAsync(target, async (staging, ct) =>
        {
            await writeFiles(staging, ct);
            var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(staging, file).Replace(Path.DirectorySeparatorChar, '/');
                if (relative != ModelPackage.ManifestFile)
                {
                    files[relative] = await ModelPackage.HashFileAsync(file, ct);
                }
            }

            written = manifest with { FormatVersion = ModelPackage.FormatVersion, Files = files };
            await using var stream = File.Create(Path.Combine(staging, ModelPackage.ManifestFile));
            await JsonSerializer.SerializeAsync(stream, written, FerryJson.Indented, ct);
        }, cancellationToken);
        return written!;
    }

    /// <summary>Zips a package folder into <paramref name="zipPath"/> (replacing it atomically), for upload as one artifact.</summary>
    public static async Task ZipAsync(string packageFolder, string zipPath, CancellationToken cancellationToken)
    {
        var partial = zipPath + ".partial";
        try
        {
            File.Delete(partial);
            await ZipFile.CreateFromDirectoryAsync(packageFolder, partial, CompressionLevel.Optimal, includeBaseDirectory: false, cancellationToken);
            File.Move(partial, zipPath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
