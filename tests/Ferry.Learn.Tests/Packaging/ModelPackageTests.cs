using System.Text.Json.Nodes;
using Ferry.Data.Schema;
using Ferry.Learn.Packaging;

namespace Ferry.Learn.Tests.Packaging;

public sealed class ModelPackageTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ferry-package-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static ModelManifest Manifest() => new(
        0,
        "mlnet",
        "lightgbm",
        new ModelSignature([new InputColumn("x", ColumnKind.Numeric, Min: 0, Max: 1), new InputColumn("c", ColumnKind.Categorical, ["a", "b"])], TaskKind.Binary, "y", ["no", "yes"]),
        new Dictionary<string, string>(),
        new TrainingInfo(DateTimeOffset.UnixEpoch, "0.1.0", "run1", "data@1", 42, new Dictionary<string, string> { ["Microsoft.ML"] = "5.0.1" }));

    private async Task<string> WriteAsync(string name = "pkg")
    {
        var target = Path.Combine(_folder.FullName, name);
        await ModelPackageWriter.WriteAsync(target, Manifest(), async (folder, ct) =>
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "model.zip"), "weights", ct);
            Directory.CreateDirectory(Path.Combine(folder, "prep"));
            await File.WriteAllTextAsync(Path.Combine(folder, "prep", "scaler.json"), "{}", ct);
        }, CancellationToken.None);
        return target;
    }

    [Fact]
    public async Task A_written_package_opens_with_every_file_hashed_in_its_manifest()
    {
        var target = await WriteAsync();

        using var package = await ModelPackage.OpenAsync(target, CancellationToken.None);

        Assert.Equal(ModelPackage.FormatVersion, package.Manifest.FormatVersion);
        Assert.Equal(["model.zip", "prep/scaler.json"], package.Manifest.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(await ModelPackage.HashFileAsync(Path.Combine(target, "model.zip"), CancellationToken.None), package.Manifest.Files["model.zip"]);
        Assert.Equal(["a", "b"], package.Manifest.Signature.Inputs[1].Categories);
        Assert.Equal("weights", await File.ReadAllTextAsync(package.PathOf("model.zip")));
    }

    [Fact]
    public async Task A_zipped_package_opens_from_a_private_copy_that_dispose_removes()
    {
        var target = await WriteAsync();
        var zip = Path.Combine(_folder.FullName, "pkg.zip");
        await ModelPackageWriter.ZipAsync(target, zip, CancellationToken.None);

        var package = await ModelPackage.OpenAsync(zip, CancellationToken.None);
        var unpacked = package.Folder;
        Assert.True(File.Exists(package.PathOf("prep/scaler.json")));
        package.Dispose();

        Assert.False(Directory.Exists(unpacked));
    }

    [Fact]
    public async Task A_changed_file_is_refused_naming_the_file()
    {
        var target = await WriteAsync();
        await File.AppendAllTextAsync(Path.Combine(target, "prep", "scaler.json"), " ");

        var error = await Assert.ThrowsAsync<FerryException>(() => ModelPackage.OpenAsync(target, CancellationToken.None));

        Assert.Equal("PACKAGE_INVALID", error.Code);
        Assert.Contains("prep/scaler.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed or damaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_a_newer_format_and_a_broken_manifest_are_refused()
    {
        var missing = await WriteAsync("missing");
        File.Delete(Path.Combine(missing, "model.zip"));
        var newer = await WriteAsync("newer");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(newer, "model.json")))!;
        json["formatVersion"] = ModelPackage.FormatVersion + 1;
        await File.WriteAllTextAsync(Path.Combine(newer, "model.json"), json.ToJsonString());
        var broken = await WriteAsync("broken");
        await File.WriteAllTextAsync(Path.Combine(broken, "model.json"), "{ not json");

        Assert.Contains("'model.zip' is missing", (await Assert.ThrowsAsync<FerryException>(() => ModelPackage.OpenAsync(missing, CancellationToken.None))).Message, StringComparison.Ordinal);
        Assert.Contains("upgrade Ferry", (await Assert.ThrowsAsync<FerryException>(() => ModelPackage.OpenAsync(newer, CancellationToken.None))).Message, StringComparison.Ordinal);
        Assert.Contains("not valid", (await Assert.ThrowsAsync<FerryException>(() => ModelPackage.OpenAsync(broken, CancellationToken.None))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_pointing_outside_the_package_is_refused()
    {
        var target = await WriteAsync();
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(target, "model.json")))!;
        json["files"]!["../secret"] = "00";
        await File.WriteAllTextAsync(Path.Combine(target, "model.json"), json.ToJsonString());

        var error = await Assert.ThrowsAsync<FerryException>(() => ModelPackage.OpenAsync(target, CancellationToken.None));

        Assert.Contains("outside the package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_write_leaves_nothing_and_an_existing_target_is_refused()
    {
        var target = Path.Combine(_folder.FullName, "failed");
        await Assert.ThrowsAsync<InvalidOperationException>(() => ModelPackageWriter.WriteAsync(target, Manifest(), (_, _) => throw new InvalidOperationException("boom"), CancellationToken.None));
        Assert.Empty(_folder.GetFileSystemInfos());

        var existing = await WriteAsync();
        var error = await Assert.ThrowsAsync<FerryException>(() => ModelPackageWriter.WriteAsync(existing, Manifest(), (_, _) => Task.CompletedTask, CancellationToken.None));
        Assert.Equal("PACKAGE_EXISTS", error.Code);
    }

    [Fact]
    public async Task A_missing_path_is_not_found()
    {
        var error = await Assert.ThrowsAsync<FerryException>(() => ModelPackage.OpenAsync(Path.Combine(_folder.FullName, "nope"), CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }
}
