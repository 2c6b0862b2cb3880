using Ferry.Tracking.Artifacts;

namespace Ferry.Tracking.Artifacts.Tests;

public sealed class ArtifactLocationsTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ferry-locations");

    [Fact]
    public async Task Proxy_locations_resolve_under_the_proxied_root_and_plain_ones_as_they_are()
    {
        using (var proxied = ArtifactLocations.Open("mlflow-artifacts:/3/abc/artifacts", _root.FullName))
        {
            await proxied.UploadAsync("model/weights.bin", new MemoryStream([1, 2, 3]), CancellationToken.None);
        }

        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(_root.FullName, "3", "abc", "artifacts", "model", "weights.bin")));

        using var plain = ArtifactLocations.Open(Path.Combine(_root.FullName, "3", "abc"), "/nowhere");
        Assert.Contains(await plain.ListAsync(null, CancellationToken.None), e => e.Path == "artifacts" && e.IsDirectory);
    }

    [Theory]
    [InlineData("mlflow-artifacts:/../outside")]
    [InlineData("mlflow-artifacts:/0/../../x")]
    public void Proxy_locations_cannot_escape_the_root(string location)
    {
        var error = Assert.Throws<FerryException>(() => ArtifactLocations.Open(location, _root.FullName));
        Assert.Equal("INVALID_PARAMETER_VALUE", error.Code);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
