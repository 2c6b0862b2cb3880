using System.Text;

namespace Ferry.Tracking.Artifacts.Tests;

public sealed class LocalArtifactStoreTests : ArtifactStoreContractTests
{
    private string RootFolder => Path.Combine(Scratch.FullName, "root");

    protected override IArtifactStore CreateStore() => new LocalArtifactStore(RootFolder);

    // The local store streams through a small copy buffer; it has no parts.
    protected override IArtifactStore CreateStoreWithPartSize(int partSize) => new LocalArtifactStore(RootFolder);

    [Fact]
    public async Task SymlinkedFolderInsideRoot_PointingOutside_IsRefusedForEveryOperation()
    {
        var outside = Scratch.CreateSubdirectory("outside");
        await File.WriteAllTextAsync(Path.Combine(outside.FullName, "secret.txt"), "secret");
        Directory.CreateDirectory(RootFolder);
        Directory.CreateSymbolicLink(Path.Combine(RootFolder, "link"), outside.FullName);
        await UploadTextAsync("real/inner.txt", "inner");
        Directory.CreateSymbolicLink(Path.Combine(RootFolder, "real", "nested-link"), outside.FullName);

        foreach (var path in new[] { "link/secret.txt", "real/nested-link/secret.txt" })
        {
            await AssertRefusedAsync(() => Store.OpenReadAsync(path, default));
            await AssertRefusedAsync(() => Store.UploadAsync(path, new MemoryStream("overwritten"u8.ToArray()), default));
            await AssertRefusedAsync(() => Store.UploadAsync(path.Replace("secret.txt", "new.txt", StringComparison.Ordinal), new MemoryStream([1]), default));
            await AssertRefusedAsync(() => Store.DeleteAsync(path, default));
        }

        await AssertRefusedAsync(() => Store.ListAsync("link", default));
        await AssertRefusedAsync(() => Store.DeleteAsync("link", default));
        Assert.Equal("secret", await File.ReadAllTextAsync(Path.Combine(outside.FullName, "secret.txt")));
        Assert.Equal(["secret.txt"], outside.GetFiles().Select(f => f.Name));
        // Listings leave links out: they are not artifacts and cannot be read.
        Assert.Equal([new ArtifactEntry("real", true, null)], await Store.ListAsync(null, default));
        Assert.Equal([new ArtifactEntry("real/inner.txt", false, 5)], await Store.ListAsync("real", default));
    }

    [Fact]
    public async Task SymlinkedFile_IsRefused()
    {
        var outsideFile = Path.Combine(Scratch.FullName, "outside.txt");
        await File.WriteAllTextAsync(outsideFile, "secret");
        Directory.CreateDirectory(RootFolder);
        File.CreateSymbolicLink(Path.Combine(RootFolder, "file-link"), outsideFile);

        var error = await Assert.ThrowsAsync<FerryException>(() => Store.OpenReadAsync("file-link", default));
        Assert.Contains("symbolic link 'file-link'", error.Message, StringComparison.Ordinal);
        await AssertRefusedAsync(() => Store.UploadAsync("file-link", new MemoryStream([1]), default));
        Assert.Equal("secret", await File.ReadAllTextAsync(outsideFile));
    }

    [Fact]
    public async Task LogArtifacts_SkipsLinksInTheSource_AndNamesThem()
    {
        var source = Scratch.CreateSubdirectory("source");
        var outside = Scratch.CreateSubdirectory("outside");
        await File.WriteAllTextAsync(Path.Combine(outside.FullName, "secret.txt"), "secret");
        await File.WriteAllTextAsync(Path.Combine(source.FullName, "real.txt"), "real");
        Directory.CreateSymbolicLink(Path.Combine(source.FullName, "linked-folder"), outside.FullName);
        File.CreateSymbolicLink(Path.Combine(source.FullName, "linked-file.txt"), Path.Combine(outside.FullName, "secret.txt"));

        var error = await Assert.ThrowsAsync<FerryException>(() => Store.LogArtifactsAsync(source.FullName, null, default));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.Code);
        Assert.Contains("linked-folder", error.Message, StringComparison.Ordinal);
        Assert.Contains("linked-file.txt", error.Message, StringComparison.Ordinal);
        Assert.Equal([new ArtifactEntry("real.txt", false, 4)], await Store.ListAsync(null, default));
        await AssertRefusedAsync(() => Store.UploadFileAsync(Path.Combine(source.FullName, "linked-file.txt"), null, default));
    }

    [Fact]
    public async Task Upload_WhereAFolderOrAFileIsInTheWay_IsRefused()
    {
        await UploadTextAsync("a/b.txt", "b");

        await AssertRefusedAsync(() => UploadTextAsync("a", "a file over a folder"));
        await AssertRefusedAsync(() => UploadTextAsync("a/b.txt/c.txt", "a folder through a file"));

        Assert.Equal([new ArtifactEntry("a/b.txt", false, 1)], await Store.ListAsync("a", default));
    }

    [Fact]
    public async Task Upload_InProgress_IsNotListedAndLeavesNoTempFile()
    {
        var gate = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var upload = Store.UploadAsync("slow.bin", new GatedStream(gate, release.Task), default);
        await gate.Task;

        // The bytes so far are on disk in a temporary file, but no artifact is visible yet.
        Assert.Empty(await Store.ListAsync(null, default));
        Assert.Single(Directory.GetFiles(RootFolder));
        release.SetResult();
        await upload;

        Assert.Equal([new ArtifactEntry("slow.bin", false, 2)], await Store.ListAsync(null, default));
        Assert.Equal(["slow.bin"], Directory.GetFiles(RootFolder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task FolderHoldingOnlyFolders_IsListedAndDownloaded()
    {
        await UploadTextAsync("a/b/c/d.txt", "d");

        Assert.Equal([new ArtifactEntry("a", true, null)], await Store.ListAsync(null, default));
        Assert.Equal([new ArtifactEntry("a/b", true, null)], await Store.ListAsync("a", default));
        var local = await Store.DownloadAsync("a", Path.Combine(Scratch.FullName, "down"), default);
        Assert.Equal("d", await File.ReadAllTextAsync(Path.Combine(local, "b", "c", "d.txt")));
    }

    [Fact]
    public async Task FailedOrCancelledUpload_LeavesNoTemporaryFile()
    {
        await UploadTextAsync("dir/keep.txt", "k");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<IOException>(() => Store.UploadAsync("dir/broken.bin", new PatternStream(1_000_000, 1, failAfter: 100_000), default));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.UploadAsync("dir/cancelled.bin", new PatternStream(1_000_000, 1), cancel.Token));

        Assert.Equal(["keep.txt"], Directory.GetFiles(Path.Combine(RootFolder, "dir")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Files_LandUnderTheRoot()
    {
        await UploadTextAsync("a/b.txt", "text");

        Assert.Equal("text", await File.ReadAllTextAsync(Path.Combine(RootFolder, "a", "b.txt"), Encoding.UTF8));
    }

    /// <summary>Gives one byte, signals, waits for release, gives one more byte, ends.</summary>
    private sealed class GatedStream(TaskCompletionSource reached, Task release) : Stream
    {
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            switch (_reads++)
            {
                case 0:
                    buffer.Span[0] = 1;
                    return 1;
                case 1:
                    reached.SetResult();
                    await release;
                    buffer.Span[0] = 2;
                    return 1;
                default:
                    return 0;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
