using System.Text;

namespace Ferry.Tracking.Artifacts.Tests;

/// <summary>The store contract against a real local S3 server (s3rver, see scripts/s3-test-server).</summary>
[SkippableStore(nameof(SkipReason))]
public sealed class S3ArtifactStoreTests : ArtifactStoreContractTests
{
    // Each test instance works under its own prefix, so tests never see each other's objects.
    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N");

    public static string? SkipReason => S3TestServer.SkipReason;

    protected override IArtifactStore CreateStore() => CreateStoreWithPartSize(8 * 1024 * 1024);

    protected override IArtifactStore CreateStoreWithPartSize(int partSize) =>
        new S3ArtifactStore($"s3://{S3TestServer.Bucket}/{_prefix}", S3TestServer.Options(partSize));

    [StoreFact]
    public async Task Upload_LargerThanPartSize_IsAMultipartUpload()
    {
        const long size = 12L * 1024 * 1024;
        using var raw = S3TestServer.RawClient();
        var key = $"{_prefix}/big.bin";

        var parts = await S3Upload.RunAsync(raw, S3TestServer.Bucket, key, new PatternStream(size, 5), S3ArtifactStoreOptions.MinPartSize, default);
        var exactlyOnePart = await S3Upload.RunAsync(raw, S3TestServer.Bucket, key + "-one", new PatternStream(S3ArtifactStoreOptions.MinPartSize, 5), S3ArtifactStoreOptions.MinPartSize, default);
        var small = await S3Upload.RunAsync(raw, S3TestServer.Bucket, key + "-small", new PatternStream(1024, 5), S3ArtifactStoreOptions.MinPartSize, default);

        // 12 MiB in 5 MiB parts is 5 + 5 + 2; a source of exactly one part ends with an empty read, not an empty part.
        Assert.Equal((3, 1, 1), (parts, exactlyOnePart, small));
        Assert.Equal(await TestHashes.OfAsync(new PatternStream(size, 5)), await TestHashes.OfAsync(await ReadRawAsync(raw, key)));
        Assert.Equal(await TestHashes.OfAsync(new PatternStream(S3ArtifactStoreOptions.MinPartSize, 5)), await TestHashes.OfAsync(await ReadRawAsync(raw, key + "-one")));
    }

    private static async Task<Stream> ReadRawAsync(Amazon.S3.AmazonS3Client raw, string key) =>
        (await raw.GetObjectAsync(S3TestServer.Bucket, key)).ResponseStream;

    [StoreFact]
    public async Task Upload_FailingAfterTheFirstPart_LeavesThePreviousObject()
    {
        using var store = CreateStoreWithPartSize(S3ArtifactStoreOptions.MinPartSize);
        await store.UploadAsync("model.bin", new MemoryStream("old"u8.ToArray()), default);

        // The first 5 MiB part is already uploaded when the source breaks; the upload is aborted.
        await Assert.ThrowsAsync<IOException>(() => store.UploadAsync("model.bin", new PatternStream(20L * 1024 * 1024, 9, failAfter: 7L * 1024 * 1024), default));

        Assert.Equal("old", Encoding.UTF8.GetString(await ReadAllAsync(store, "model.bin")));
        Assert.Equal([new ArtifactEntry("model.bin", false, 3)], await store.ListAsync(null, default));
    }

    [StoreFact]
    public async Task ListAndDelete_FollowPagination()
    {
        using var store = (S3ArtifactStore)CreateStore();
        store.ListPageSize = 2;
        for (var i = 0; i < 5; i++)
        {
            await store.UploadAsync($"dir/file{i}.txt", new MemoryStream(Encoding.UTF8.GetBytes(new string('x', i))), default);
            await store.UploadAsync($"dir/sub{i}/inner.txt", new MemoryStream([1]), default);
        }

        var listed = await store.ListAsync("dir", default);

        Assert.Equal(
            Enumerable.Range(0, 5).Select(i => new ArtifactEntry($"dir/file{i}.txt", false, i))
                .Concat(Enumerable.Range(0, 5).Select(i => new ArtifactEntry($"dir/sub{i}", true, null))),
            listed);
        await store.DeleteAsync("dir", default);
        Assert.Empty(await store.ListAsync(null, default));
    }

    [StoreFact]
    public async Task Stores_WithDifferentPrefixes_DoNotSeeEachOther()
    {
        await UploadTextAsync("a.txt", "mine");
        using var other = new S3ArtifactStore($"s3://{S3TestServer.Bucket}/{_prefix}-other/nested", S3TestServer.Options());
        await other.UploadAsync("a.txt", new MemoryStream("theirs"u8.ToArray()), default);

        Assert.Equal("mine", Encoding.UTF8.GetString(await ReadAllAsync(Store, "a.txt")));
        Assert.Equal([new ArtifactEntry("a.txt", false, 6)], await other.ListAsync(null, default));
        await other.DeleteAsync("a.txt", default);
        Assert.Single(await Store.ListAsync(null, default));
    }

    [StoreFact]
    public async Task MissingBucket_IsNotFoundNamingTheBucket()
    {
        using var store = new S3ArtifactStore("s3://no-such-bucket-ferry/x", S3TestServer.Options());

        var error = await Assert.ThrowsAsync<FerryException>(() => store.ListAsync(null, default));

        Assert.Equal("RESOURCE_DOES_NOT_EXIST", error.Code);
        Assert.Contains("no-such-bucket-ferry", error.Message, StringComparison.Ordinal);
    }
}
