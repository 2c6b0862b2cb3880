using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ferry.Learn.Packaging;

/// <summary>
/// A model package opened for reading: a folder (or a zip, unpacked into a private temp folder) whose
/// <c>model.json</c> has been read and whose files all match their recorded SHA-256. Flavors read their files
/// through <see cref="PathOf"/>. Dispose to remove the unpacked copy of a zip.
/// </summary>
public sealed class ModelPackage : IDisposable
{
    /// <summary>The package layout version this Ferry writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The manifest's file name.</summary>
    public const string ManifestFile = "model.json";

    private readonly string? _unpacked;

    private ModelPackage(string folder, ModelManifest manifest, string source, string? unpacked)
    {
        Folder = folder;
        Manifest = manifest;
        Source = source;
        _unpacked = unpacked;
    }

    /// <summary>The folder holding the package's files.</summary>
    public string Folder { get; }

    /// <summary>The path the package was opened from (a folder or a zip).</summary>
    public string Source { get; }

    /// <summary>The package's <c>model.json</c>.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The full path of one of the package's files, which must be listed in the manifest.</summary>
    /// <exception cref="FerryException">PACKAGE_INVALID when the manifest does not list the file.</exception>
    public string PathOf(string relativePath) =>
        Manifest.Files.ContainsKey(relativePath)
            ? Path.Combine(Folder, relativePath)
            : throw Invalid(Source, $"it has no file '{relativePath}' in its manifest; the {Manifest.Flavor} runtime needs it");

    /// <summary>
    /// Opens and verifies a package: a folder holding <c>model.json</c>, or a <c>.zip</c> of one.
    /// </summary>
    /// <exception cref="FerryException">PACKAGE_NOT_FOUND, or PACKAGE_INVALID naming what is wrong: unreadable or
    /// malformed manifest, a newer format version, a missing file, a file whose hash differs (changed or truncated).</exception>
    public static async Task<ModelPackage> OpenAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return new ModelPackage(full, await VerifyAsync(full, full, cancellationToken), full, unpacked: null);
        }

        if (!File.Exists(full))
        {
            throw FerryException.NotFound("PACKAGE_NOT_FOUND", $"model package '{path}' does not exist; give a package folder or its .zip");
        }

        var temp = Directory.CreateTempSubdirectory("ferry-package-").FullName;
        try
        {
            try
            {
                await ZipFile.ExtractToDirectoryAsync(full, temp, overwriteFiles: false, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                throw Invalid(path, $"it is not a readable zip ({e.Message})");
            }
            catch (IOException e) when (e is not FileNotFoundException)
            {
                throw Invalid(path, $"it could not be unpacked ({e.Message})");
            }

            return new ModelPackage(temp, await VerifyAsync(temp, full, cancellationToken), full, temp);
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>The SHA-256 of a file as lower-case hex, streamed.</summary>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_unpacked is not null && Directory.Exists(_unpacked))
        {
            Directory.Delete(_unpacked, recursive: true);
        }
    }

    internal static FerryException Invalid(string source, string problem) =>
        FerryException.Invalid("PACKAGE_INVALID", $"model package '{source}' cannot be used: {problem}");

    private static async Task<ModelManifest> VerifyAsync(string folder, string source, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            throw Invalid(source, $"it has no {ManifestFile}; is it a Ferry model package?");
        }

        ModelManifest? manifest;
        try
        {
            await using var stream = File.OpenRead(manifestPath);
            manifest = await JsonSerializer.DeserializeAsync<ModelManifest>(stream, FerryJson.Compact, cancellationToken);
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"its {ManifestFile} is not valid ({e.Message})");
        }

        if (manifest is null || manifest.Signature is null || manifest.Files is null || manifest.Training is null || string.IsNullOrEmpty(manifest.Flavor))
        {
            throw Invalid(source, $"its {ManifestFile} lacks flavor, signature, files or training");
        }

        if (manifest.FormatVersion > FormatVersion || manifest.FormatVersion < 1)
        {
            throw Invalid(source, $"its format version is {manifest.FormatVersion}; this Ferry reads versions 1 to {FormatVersion} (upgrade Ferry to load it)");
        }

        foreach (var (relative, expected) in manifest.Files)
        {
            var file = Path.GetFullPath(Path.Combine(folder, relative));
            if (!file.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative == ManifestFile)
            {
                throw Invalid(source, $"its manifest lists '{relative}', which is outside the package");
            }

            if (!File.Exists(file))
            {
                throw Invalid(source, $"the file '{relative}' is missing");
            }

            var actual = await HashFileAsync(file, cancellationToken);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(source, $"the file '{relative}' has SHA-256 {actual} but the manifest says {expected}: it was changed or damaged after packaging");
            }
        }

        return manifest;
    }
}
