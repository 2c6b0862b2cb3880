using System.Text;

namespace Ferry.Tracking.Artifacts.Tests;

/// <summary>
/// The behaviour every <see cref="IArtifactStore"/> must have; each store runs it through a subclass
/// that supplies a fresh, empty store.
/// </summary>
public abstract class ArtifactStoreContractTests : IDisposable
{
    private readonly Lazy<IArtifactStore> _store;

    protected ArtifactStoreContractTests()
    {
        Scratch = Directory.CreateTempSubdirectory("ferry-artifacts-test-");
        _store = new Lazy<IArtifactStore>(CreateStore);
    }

    /// <summary>A local temp folder for source and download trees.</summary>
    protected DirectoryInfo Scratch { get; }

    protected IArtifactStore Store => _store.Value;

    /// <summary>Creates an empty store that only this test instance uses.</summary>
    protected abstract IArtifactStore CreateStore();

    /// <summary>A store on the same storage with a smaller upload part, so a 20 MB upload takes several parts.</summary>
    protected abstract IArtifactStore CreateStoreWithPartSize(int partSize);

    [StoreFact]
    public async Task Upload_BinaryContent_ReadsBackIdentical()
    {
        var bytes = new byte[100_000];
        new Random(7).NextBytes(bytes);
        for (var i = 0; i < 256; i++)
        {
            bytes[i] = (byte)i;
        }

        await Store.UploadAsync("model/weights.bin", new MemoryStream(bytes), default);

        Assert.Equal(bytes, await ReadAllAsync(Store, "model/weights.bin"));
        var entry = Assert.Single(await Store.ListAsync("model", default));
        Assert.Equal(new ArtifactEntry("model/weights.bin", false, bytes.Length), entry);
    }

    [StoreFact]
    public async Task Upload_EmptyFile_ListsWithSizeZero()
    {
        await Store.UploadAsync("empty.txt", new MemoryStream(), default);

        Assert.Empty(await ReadAllAsync(Store, "empty.txt"));
        Assert.Equal([new ArtifactEntry("empty.txt", false, 0)], await Store.ListAsync(null, default));
    }

    [StoreTheory]
    [InlineData("données/modèle ü.bin")]
    [InlineData("模型/权重.bin")]
    [InlineData("emoji 🚀/a b+c=d&e.txt")]
    public async Task Upload_UnicodeNames_RoundTripAndList(string path)
    {
        var content = Encoding.UTF8.GetBytes("content of " + path);
        await Store.UploadAsync(path, new MemoryStream(content), default);

        Assert.Equal(content, await ReadAllAsync(Store, path));
        var folder = path[..path.IndexOf('/', StringComparison.Ordinal)];
        Assert.Equal([new ArtifactEntry(folder, true, null)], await Store.ListAsync(null, default));
        Assert.Equal([new ArtifactEntry(path, false, content.Length)], await Store.ListAsync(folder, default));
    }

    [StoreFact]
    public async Task List_NestedFolders_ReturnsDirectChildrenOnly()
    {
        await UploadTextAsync("a.txt", "a");
        await UploadTextAsync("dir/b.txt", "bb");
        await UploadTextAsync("dir/sub/c.txt", "ccc");
        await UploadTextAsync("dir/sub/deeper/d.txt", "dddd");

        Assert.Equal([new ArtifactEntry("a.txt", false, 1), new ArtifactEntry("dir", true, null)], await Store.ListAsync(null, default));
        Assert.Equal(await Store.ListAsync(null, default), await Store.ListAsync("", default));
        Assert.Equal([new ArtifactEntry("dir/b.txt", false, 2), new ArtifactEntry("dir/sub", true, null)], await Store.ListAsync("dir", default));
        Assert.Equal(await Store.ListAsync("dir", default), await Store.ListAsync("dir/", default));
        Assert.Equal([new ArtifactEntry("dir/sub/c.txt", false, 3), new ArtifactEntry("dir/sub/deeper", true, null)], await Store.ListAsync("dir/sub", default));
    }

    [StoreFact]
    public async Task List_MissingFolderOrFile_IsEmpty()
    {
        await UploadTextAsync("dir/b.txt", "b");

        Assert.Empty(await Store.ListAsync("missing", default));
        Assert.Empty(await Store.ListAsync("dir/missing/deeper", default));
        Assert.Empty(await Store.ListAsync("dir/b.txt", default));
        Assert.Empty(await Store.ListAsync("di", default));
    }

    [StoreFact]
    public async Task Upload_ExistingPath_Overwrites()
    {
        await UploadTextAsync("metrics.json", "first, and longer");
        await UploadTextAsync("metrics.json", "second");

        Assert.Equal("second", Encoding.UTF8.GetString(await ReadAllAsync(Store, "metrics.json")));
        Assert.Equal([new ArtifactEntry("metrics.json", false, 6)], await Store.ListAsync(null, default));
    }

    [StoreFact]
    public async Task Upload_SourceFailsMidway_LeavesPreviousVersionAndNoPartialFile()
    {
        await UploadTextAsync("model.bin", "old");

        await Assert.ThrowsAsync<IOException>(() => Store.UploadAsync("model.bin", new PatternStream(1_000_000, 1, failAfter: 300_000), default));
        await Assert.ThrowsAsync<IOException>(() => Store.UploadAsync("new.bin", new PatternStream(1_000_000, 1, failAfter: 300_000), default));

        Assert.Equal("old", Encoding.UTF8.GetString(await ReadAllAsync(Store, "model.bin")));
        Assert.Equal([new ArtifactEntry("model.bin", false, 3)], await Store.ListAsync(null, default));
    }

    [StoreFact]
    public async Task Upload_CancelledMidway_LeavesNothing()
    {
        using var cancel = new CancellationTokenSource();
        var source = new CancelAfterFirstReadStream(new PatternStream(1_000_000, 3), cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.UploadAsync("cancelled.bin", source, cancel.Token));

        Assert.Empty(await Store.ListAsync(null, default));
    }

    [StoreFact]
    public async Task Upload_LargerThanPartSize_StreamsWithoutHoldingTheFile()
    {
        const long size = 20L * 1024 * 1024;
        using var store = CreateStoreWithPartSize(S3ArtifactStoreOptions.MinPartSize);
        // Warm up the code paths (HTTP connection, JIT) so the measurement sees the upload itself.
        await store.UploadAsync("warmup.bin", new PatternStream(1000, 1), default);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await store.UploadAsync("big.bin", new PatternStream(size, 42), default);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // One 5 MiB part buffer plus bookkeeping; holding the file would need at least 20 MiB.
        Assert.True(allocated < size / 2, $"uploading {size} bytes allocated {allocated} bytes");
        var stream = await store.OpenReadAsync("big.bin", default);
        await using (stream)
        {
            Assert.Equal(await TestHashes.OfAsync(new PatternStream(size, 42)), await TestHashes.OfAsync(stream));
        }

        Assert.Contains(new ArtifactEntry("big.bin", false, size), await store.ListAsync(null, default));
    }

    [StoreFact]
    public async Task Delete_File_RemovesOnlyThatFile()
    {
        await UploadTextAsync("dir/a.txt", "a");
        await UploadTextAsync("dir/b.txt", "b");

        await Store.DeleteAsync("dir/a.txt", default);

        Assert.Equal([new ArtifactEntry("dir/b.txt", false, 1)], await Store.ListAsync("dir", default));
        var error = await Assert.ThrowsAsync<FerryException>(() => Store.OpenReadAsync("dir/a.txt", default));
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", error.Code);
    }

    [StoreFact]
    public async Task Delete_Folder_RemovesItsWholeTree()
    {
        await UploadTextAsync("keep.txt", "k");
        await UploadTextAsync("dirx.txt", "not inside dir");
        await UploadTextAsync("dir/a.txt", "a");
        await UploadTextAsync("dir/sub/b.txt", "b");
        await UploadTextAsync("dir/sub/deeper/c.txt", "c");

        await Store.DeleteAsync("dir", default);

        Assert.Equal([new ArtifactEntry("dirx.txt", false, 14), new ArtifactEntry("keep.txt", false, 1)], await Store.ListAsync(null, default));
        Assert.Empty(await Store.ListAsync("dir/sub", default));
    }

    [StoreFact]
    public async Task Delete_Missing_IsNotAnError()
    {
        await Store.DeleteAsync("never/there.txt", default);
        await Store.DeleteAsync("never", default);

        Assert.Empty(await Store.ListAsync(null, default));
    }

    [StoreFact]
    public async Task Delete_Root_IsRefused()
    {
        await UploadTextAsync("a.txt", "a");

        var error = await Assert.ThrowsAsync<FerryException>(() => Store.DeleteAsync("", default));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.Code);
        Assert.Single(await Store.ListAsync(null, default));
    }

    [StoreFact]
    public async Task OpenRead_Missing_IsNotFoundNamingThePath()
    {
        await UploadTextAsync("dir/present.txt", "p");

        foreach (var path in new[] { "missing.txt", "dir/missing.txt", "dir" })
        {
            var error = await Assert.ThrowsAsync<FerryException>(() => Store.OpenReadAsync(path, default));
            Assert.Equal("RESOURCE_DOES_NOT_EXIST", error.Code);
            Assert.Equal(ErrorKind.NotFound, error.Kind);
            Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string> BadFilePaths() =>
    [
        "../x", "a/../../x", "a/..", "..", "/etc/passwd", "a//b", "//x", "C:\\x", "C:/x", "\\\\server\\share", "a\\b",
        "a\0b", "a\nb", "./a", "a/./b", "", "a/b/",
    ];

    public static TheoryData<string> BadFolderPaths() =>
        ["../x", "a/../../x", "..", "/etc", "/", "a//b", "C:\\x", "\\\\server\\share", "a\0b", "a/./b", "a//"];

    [StoreTheory]
    [MemberData(nameof(BadFilePaths))]
    public async Task BadFilePath_IsRefusedEverywhere_AndNothingIsWritten(string path)
    {
        await AssertRefusedAsync(() => Store.UploadAsync(path, new MemoryStream([1, 2, 3]), default));
        await AssertRefusedAsync(() => Store.OpenReadAsync(path, default));

        Assert.Empty(await Store.ListAsync(null, default));
        Assert.False(File.Exists(Path.Combine(Scratch.FullName, "x")));
    }

    [StoreTheory]
    [MemberData(nameof(BadFolderPaths))]
    public async Task BadFolderPath_IsRefusedForListAndDelete(string path)
    {
        await UploadTextAsync("a/b.txt", "b");

        await AssertRefusedAsync(() => Store.ListAsync(path, default));
        await AssertRefusedAsync(() => Store.DeleteAsync(path, default));

        Assert.Single(await Store.ListAsync("a", default));
    }

    [StoreFact]
    public async Task LogArtifacts_ThenDownload_ReproducesTheTree()
    {
        var source = Scratch.CreateSubdirectory("source");
        var files = new Dictionary<string, byte[]>
        {
            ["model.bin"] = RandomBytes(70_000, 3),
            ["empty.txt"] = [],
            ["conf/settings.json"] = Encoding.UTF8.GetBytes("{\"lr\": 0.1}"),
            ["conf/nested/deep/é.txt"] = Encoding.UTF8.GetBytes("deep"),
            // Every folder holds a file of its own: s3rver 3.7.1 leaves a folder that holds only folders
            // out of listings (real S3 does not); LocalArtifactStoreTests covers such folders.
            ["conf/nested/n.txt"] = Encoding.UTF8.GetBytes("n"),
        };
        foreach (var (name, content) in files)
        {
            var full = Path.Combine(source.FullName, name);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, content);
        }

        var written = await Store.LogArtifactsAsync(source.FullName, "run/model", default);
        await UploadTextAsync("run/note.txt", "n");

        Assert.Equal(files.Keys.Select(k => "run/model/" + k).Order(StringComparer.Ordinal), written);
        var folderCopy = await Store.DownloadAsync("run/model", Path.Combine(Scratch.FullName, "down1"), default);
        Assert.Equal(Path.Combine(Scratch.FullName, "down1", "model"), folderCopy);
        AssertTree(files, folderCopy);

        var everything = await Store.DownloadAsync(null, Path.Combine(Scratch.FullName, "down2"), default);
        Assert.Equal("n", await File.ReadAllTextAsync(Path.Combine(everything, "run", "note.txt")));
        AssertTree(files, Path.Combine(everything, "run", "model"));

        var oneFile = await Store.DownloadAsync("run/model/conf/settings.json", Path.Combine(Scratch.FullName, "down3"), default);
        Assert.Equal(Path.Combine(Scratch.FullName, "down3", "settings.json"), oneFile);
        Assert.Equal(files["conf/settings.json"], await File.ReadAllBytesAsync(oneFile));
    }

    [StoreFact]
    public async Task UploadFile_PutsItInTheFolder()
    {
        var local = Path.Combine(Scratch.FullName, "report.html");
        await File.WriteAllTextAsync(local, "<p>ok</p>");

        var path = await Store.UploadFileAsync(local, "reports", default);

        Assert.Equal("reports/report.html", path);
        Assert.Equal("<p>ok</p>", Encoding.UTF8.GetString(await ReadAllAsync(Store, path)));
    }

    [StoreFact]
    public async Task Download_Missing_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<FerryException>(() => Store.DownloadAsync("nothing/here", Path.Combine(Scratch.FullName, "down"), default));

        Assert.Equal("RESOURCE_DOES_NOT_EXIST", error.Code);
    }

    protected async Task UploadTextAsync(string path, string text) =>
        await Store.UploadAsync(path, new MemoryStream(Encoding.UTF8.GetBytes(text)), default);

    protected static async Task<byte[]> ReadAllAsync(IArtifactStore store, string path)
    {
        var stream = await store.OpenReadAsync(path, default);
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    protected static async Task AssertRefusedAsync(Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<FerryException>(action);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static void AssertTree(Dictionary<string, byte[]> expected, string folder)
    {
        var actual = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, content) in expected)
        {
            Assert.Equal(content, actual[name]);
        }
    }

    /// <summary>Cancels the upload's token once the first bytes have been handed over.</summary>
    private sealed class CancelAfterFirstReadStream(Stream inner, CancellationTokenSource cancel) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            cancel.Cancel();
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            await cancel.CancelAsync();
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (_store.IsValueCreated)
            {
                _store.Value.Dispose();
            }

            Scratch.Delete(recursive: true);
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}
