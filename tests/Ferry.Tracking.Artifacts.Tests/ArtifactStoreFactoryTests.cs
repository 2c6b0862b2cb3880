namespace Ferry.Tracking.Artifacts.Tests;

public sealed class ArtifactStoreFactoryTests
{
    [Fact]
    public void PlainAbsolutePath_OpensALocalStore()
    {
        using var store = ArtifactStoreFactory.Open("/var/ferry/artifacts");

        Assert.Equal("/var/ferry/artifacts", Assert.IsType<LocalArtifactStore>(store).Root);
    }

    [Fact]
    public void PlainRelativePath_IsTakenFromTheCurrentFolder()
    {
        using var store = ArtifactStoreFactory.Open("mlruns/1");

        Assert.Equal(Path.GetFullPath("mlruns/1"), Assert.IsType<LocalArtifactStore>(store).Root);
    }

    [Theory]
    [InlineData("file:///tmp/ferry%20art", "/tmp/ferry art")]
    [InlineData("FILE:///srv/a", "/srv/a")]
    [InlineData("file://localhost/srv/a", "/srv/a")]
    public void FileUri_OpensALocalStoreAtItsPath(string uri, string root)
    {
        using var store = ArtifactStoreFactory.Open(uri);

        Assert.Equal(root, Assert.IsType<LocalArtifactStore>(store).Root);
    }

    [Theory]
    [InlineData("s3://bucket", "bucket", "")]
    [InlineData("s3://bucket/", "bucket", "")]
    [InlineData("s3://bucket/experiments/1/run-a", "bucket", "experiments/1/run-a")]
    [InlineData("S3://bucket/prefix/", "bucket", "prefix")]
    public void S3Uri_OpensAnS3StoreWithBucketAndPrefix(string uri, string bucket, string prefix)
    {
        using var store = ArtifactStoreFactory.Open(uri, new S3ArtifactStoreOptions { ServiceUrl = new Uri("http://127.0.0.1:1"), AccessKeyId = "k", SecretAccessKey = "s" });

        var s3 = Assert.IsType<S3ArtifactStore>(store);
        Assert.Equal((bucket, prefix), (s3.Bucket, s3.Prefix));
    }

    [Theory]
    [InlineData("gs://bucket/x", "gs")]
    [InlineData("hdfs://namenode/x", "hdfs")]
    [InlineData("runs:/abc/model", "runs")]
    public void UnknownScheme_IsAUsageErrorListingTheKnownOnes(string uri, string scheme)
    {
        var error = Assert.Throws<FerryException>(() => ArtifactStoreFactory.Open(uri));

        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Equal("ARTIFACT_URI_INVALID", error.Code);
        Assert.Contains($"unknown scheme '{scheme}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("known schemes: file, s3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("s3://")]
    [InlineData("s3:///prefix")]
    [InlineData("s3://bucket/../x")]
    [InlineData("s3://bucket/a//b")]
    [InlineData("file://remote-host/share")]
    public void MalformedLocation_IsAUsageError(string uri)
    {
        var error = Assert.Throws<FerryException>(() => ArtifactStoreFactory.Open(uri));

        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Equal("ARTIFACT_URI_INVALID", error.Code);
    }

    [Fact]
    public void S3PartSizeBelowTheMinimum_IsRefused()
    {
        var error = Assert.Throws<FerryException>(() => ArtifactStoreFactory.Open("s3://b", new S3ArtifactStoreOptions { PartSize = 1024 }));

        Assert.Equal("ARTIFACT_URI_INVALID", error.Code);
    }
}

public sealed class S3StoreWithoutConfigurationTests
{
    [Fact]
    public void NoRegionOrServiceUrl_IsAUsageErrorSayingWhatToSet()
    {
        if (Environment.GetEnvironmentVariable("AWS_REGION") is not null || Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is not null)
        {
            return; // The SDK finds a region in this environment, so there is nothing to refuse.
        }

        var error = Assert.Throws<FerryException>(() => ArtifactStoreFactory.Open("s3://bucket/prefix"));

        Assert.Equal("S3_NOT_CONFIGURED", error.Code);
        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServer_IsAFerryErrorNamingTheBucket()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var store = ArtifactStoreFactory.Open("s3://nowhere/p", new S3ArtifactStoreOptions { ServiceUrl = new Uri($"http://127.0.0.1:{port}"), ForcePathStyle = true, AccessKeyId = "k", SecretAccessKey = "s" });

        var error = await Assert.ThrowsAsync<FerryException>(() => store.OpenReadAsync("a.txt", default));

        Assert.Equal("ARTIFACT_STORE_UNAVAILABLE", error.Code);
        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
    }
}
