using Ferry.Tracking.Artifacts;
using Ferry.Tracking.Artifacts.Tests;
using Ferry.Tracking.Client.Remote;

namespace Ferry.Tracking.Client.Tests.Remote;

/// <summary>One real server for the artifact contract; each test roots its store at a folder of its own, as a run's store is.</summary>
public sealed class ArtifactServerFixture : IAsyncLifetime
{
    public RemoteServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RemoteServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The artifact tests that measure this process's allocations run alone: the server in this process and tests running
/// beside them would allocate into the same counter.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialHttpArtifacts
{
    public const string Name = "HTTP artifacts, alone";
}

/// <summary>
/// The artifact-store contract, run against <see cref="HttpArtifactStore"/> through a real server's artifact proxy,
/// rooted (as a run's store is) at a folder below the proxy's root; errors must name paths from that root.
/// </summary>
[Collection(SerialHttpArtifacts.Name)]
public sealed class HttpArtifactStoreContractTests(ArtifactServerFixture fixture) : ArtifactStoreContractTests, IClassFixture<ArtifactServerFixture>
{
    private readonly string _root = $"contract/{Guid.NewGuid():N}/artifacts";

    protected override IArtifactStore CreateStore() => new HttpArtifactStore(fixture.Server.Url, _root, TimeProvider.System);

    // The proxy streams with no parts; a second store on the same root stands in.
    protected override IArtifactStore CreateStoreWithPartSize(int partSize) => CreateStore();

    [Fact]
    public async Task Files_land_in_the_servers_artifact_folder_under_the_root()
    {
        await UploadTextAsync("model/weights.bin", "w");

        Assert.Equal("w", await File.ReadAllTextAsync(fixture.Server.ArtifactFile($"{_root}/model/weights.bin")));
        Assert.Equal([new ArtifactEntry("model", true, null)], await Store.ListAsync(null, default));
    }

    [Fact]
    public async Task A_root_that_leaves_the_proxy_is_refused_before_anything_is_sent()
    {
        var error = Assert.Throws<FerryException>(() => new HttpArtifactStore(fixture.Server.Url, "../elsewhere", TimeProvider.System));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.Code);
    }
}
