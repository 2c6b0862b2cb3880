using Ferry.Data.Images;
using Ferry.Data.Loading;
using Ferry.Data.Tests.Parquet;
using SkiaSharp;

namespace Ferry.Data.Tests.Images;

public class ImageFolderLoaderTests
{
    private static readonly ImageLoadOptions Lenient = new();
    private static readonly ImageLoadOptions Strict = new() { Strict = true };

    [Fact]
    public async Task MixedFolder_LoadsLabelsSizesAndPaintedPixels_InOrder()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "cat/b.png", 4, 3, SKColors.White, dotX: 2, dotY: 1, dot: new SKColor(200, 10, 30));
        ImageTestFiles.Png(root, "cat/a.PNG", 5, 5, new SKColor(0, 128, 255));
        ImageTestFiles.Jpeg(root, "dog/photo.JPEG", 32, 16, new SKColor(250, 0, 0), new SKColor(0, 0, 250));
        ImageTestFiles.Jpeg(root, "dog/sub/x.jpg", 16, 16, SKColors.Black, SKColors.Black);
        ImageTestFiles.GrayPng(root, "zebra/g.png", 3, 2, [0, 50, 100, 150, 200, 250]);

        var result = await ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None);
        var data = result.Dataset;

        Assert.Equal(["cat", "dog", "zebra"], data.Classes);
        Assert.Equal(["cat/a.PNG", "cat/b.png", "dog/photo.JPEG", "dog/sub/x.jpg", "zebra/g.png"], data.Items.Select(i => i.Id));
        Assert.Equal(["cat", "cat", "dog", "dog", "zebra"], data.Items.Select(i => i.Label));
        Assert.Equal([(5, 5), (4, 3), (32, 16), (16, 16), (3, 2)], data.Items.Select(i => (i.Width, i.Height)));
        Assert.All(data.Items, i => Assert.Equal(3, i.Channels));
        Assert.Equal(0, result.BadImageCount);

        var b = data.Items[1];
        Assert.Equal([200, 10, 30], Rgb(b, 2, 1));
        Assert.Equal([255, 255, 255], Rgb(b, 0, 0));
        Assert.Equal([0, 128, 255], Rgb(data.Items[0], 4, 4));

        // JPEG is lossy: flat areas come back close, not exact.
        var photo = data.Items[2];
        AssertClose([250, 0, 0], Rgb(photo, 4, 8));
        AssertClose([0, 0, 250], Rgb(photo, 28, 8));

        // The gray image was widened to RGB because the others are colour.
        var gray = data.Items[4];
        Assert.Equal([150, 150, 150], Rgb(gray, 0, 1));
        Assert.Contains(result.Notes, n => n.Contains("1 grayscale image(s) were converted to RGB", StringComparison.Ordinal));

        Assert.Equal([new("cat", 2), new("dog", 2), new("zebra", 1)], data.ClassCounts);
        Assert.Equal(5, data.Sizes.Count);
        Assert.False(data.HasUniformSize);
    }

    [Fact]
    public async Task AllGrayFolder_StaysOneChannel()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.GrayPng(root, "a/1.png", 2, 2, [0, 1, 2, 3]);
        ImageTestFiles.GrayPng(root, "b/1.png", 2, 2, [9, 8, 7, 6]);

        var data = (await ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None)).Dataset;

        Assert.All(data.Items, i => Assert.Equal(1, i.Channels));
        Assert.Equal([9, 8, 7, 6], data.Items[1].Pixels);
        Assert.True(data.HasUniformSize);
        Assert.Equal(new ImageSizeCount(2, 2, 1, 2), Assert.Single(data.Sizes));
    }

    [Fact]
    public async Task Transparency_IsCompositedOnWhite()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "a/t.png", 2, 1, SKColors.Transparent, dotX: 1, dotY: 0, dot: new SKColor(255, 0, 0, 128));
        ImageTestFiles.Png(root, "b/o.png", 1, 1, SKColors.Black);

        var item = (await ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None)).Dataset.Items[0];

        Assert.Equal([255, 255, 255], Rgb(item, 0, 0));
        AssertClose([255, 127, 127], Rgb(item, 1, 0), tolerance: 2);
    }

    [Fact]
    public async Task IgnoredFiles_AreLeftOutAndCounted()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "cat/1.png", 2, 2, SKColors.Red);
        ImageTestFiles.Png(root, "dog/1.png", 2, 2, SKColors.Blue);
        ImageTestFiles.Png(root, "loose.png", 2, 2, SKColors.Blue);
        ImageTestFiles.Bytes(root, "README.txt", "x"u8.ToArray());
        ImageTestFiles.Bytes(root, "cat/notes.txt", "x"u8.ToArray());
        ImageTestFiles.Bytes(root, "cat/anim.gif", "x"u8.ToArray());
        ImageTestFiles.Png(root, "cat/.hidden.png", 2, 2, SKColors.Red);
        ImageTestFiles.Png(root, ".cache/1.png", 2, 2, SKColors.Red);
        ImageTestFiles.Png(root, "dog/.thumbs/1.png", 2, 2, SKColors.Red);
        Directory.CreateDirectory(Path.Combine(root, "empty"));

        var result = await ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None);

        Assert.Equal(["cat/1.png", "dog/1.png"], result.Dataset.Items.Select(i => i.Id));
        Assert.Equal(["cat", "dog"], result.Dataset.Classes);
        Assert.Contains(result.Notes, n => n.StartsWith("2 file(s) directly in the root", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.StartsWith("2 file(s) that are not .png", StringComparison.Ordinal) && n.Contains(".gif", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.Contains("'empty'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CorruptImages_AreCountedAndSkipped()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "cat/good.png", 3, 3, SKColors.Red);
        ImageTestFiles.Bytes(root, "cat/garbage.png", [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var whole = File.ReadAllBytes(ImageTestFiles.Png(root, "dog/good.png", 40, 40, SKColors.Green, 5, 5, SKColors.Red));
        ImageTestFiles.Bytes(root, "dog/truncated.png", whole[..(whole.Length / 2)]);
        ImageTestFiles.Bytes(root, "dog/empty.jpg", []);

        var result = await ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None);

        Assert.Equal(["cat/good.png", "dog/good.png"], result.Dataset.Items.Select(i => i.Id));
        Assert.Equal(3, result.BadImageCount);
        Assert.Equal(["cat/garbage.png", "dog/empty.jpg", "dog/truncated.png"], result.BadImages.Select(b => b.Path));
        Assert.All(result.BadImages, b => Assert.False(string.IsNullOrWhiteSpace(b.Reason)));
        Assert.Contains("truncated", result.BadImages[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadImageDetails_AreCapped_ButAllCounted()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "a/ok.png", 1, 1, SKColors.Red);
        for (var i = 0; i < 5; i++)
        {
            ImageTestFiles.Bytes(root, $"a/bad{i}.png", [0]);
        }

        var result = await ImageFolderLoader.LoadAsync(root, Lenient with { MaxBadImageDetails = 2 }, null, CancellationToken.None);

        Assert.Equal(5, result.BadImageCount);
        Assert.Equal(["a/bad0.png", "a/bad1.png"], result.BadImages.Select(b => b.Path));
    }

    [Fact]
    public async Task Strict_ThrowsForTheFirstCorruptImageInOrder()
    {
        var root = ImageTestFiles.NewRoot();
        for (var i = 0; i < 12; i++)
        {
            ImageTestFiles.Png(root, $"b/{i:D2}.png", 8, 8, SKColors.Red);
        }

        var first = ImageTestFiles.Bytes(root, "b/05x.png", [9, 9, 9]);
        ImageTestFiles.Bytes(root, "b/10x.png", [9, 9, 9]);
        ImageTestFiles.Bytes(root, "c/00.png", [9, 9, 9]);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var ex = await Assert.ThrowsAsync<FerryException>(() => ImageFolderLoader.LoadAsync(root, Strict, null, CancellationToken.None));
            Assert.Equal("IMAGE_CORRUPT", ex.Code);
            Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
            Assert.Equal(first, ex.Location?.File);
            Assert.Contains("b/05x.png", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AllImagesCorrupt_IsAnError()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Bytes(root, "a/1.png", [1]);

        var ex = await Assert.ThrowsAsync<FerryException>(() => ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None));

        Assert.Equal("IMAGE_NONE_READABLE", ex.Code);
    }

    [Fact]
    public async Task MissingRoot_IsNotFound()
    {
        var root = Path.Combine(ImageTestFiles.NewRoot(), "nope");

        var ex = await Assert.ThrowsAsync<FerryException>(() => ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("FILE_NOT_FOUND", ex.Code);
    }

    [Fact]
    public async Task RootWithoutClassFolders_ExplainsTheLayout()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "loose.png", 2, 2, SKColors.Red);

        var ex = await Assert.ThrowsAsync<FerryException>(() => ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None));

        Assert.Equal("IMAGE_FOLDER_EMPTY", ex.Code);
        Assert.Contains("root/<label>/*.png", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClassFoldersWithoutImages_ExplainTheLayout()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Bytes(root, "cat/notes.txt", "x"u8.ToArray());
        Directory.CreateDirectory(Path.Combine(root, "dog"));

        var ex = await Assert.ThrowsAsync<FerryException>(() => ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None));

        Assert.Equal("IMAGE_FOLDER_EMPTY", ex.Code);
        Assert.Contains("root/<label>/*.png", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SingleClass_StillLoads()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "only/1.png", 2, 2, SKColors.Red);
        ImageTestFiles.Png(root, "only/2.png", 2, 2, SKColors.Red);

        var data = (await ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None)).Dataset;

        Assert.Equal(["only"], data.Classes);
        Assert.Equal(2, data.Count);
    }

    [Fact]
    public async Task Progress_IsReportedPerFile_AndReachesTheTotal()
    {
        var root = ImageTestFiles.NewRoot();
        for (var i = 0; i < 7; i++)
        {
            ImageTestFiles.Png(root, $"{(char)('a' + (i % 3))}/{i}.png", 10 + i, 10, SKColors.Red);
        }

        var total = Directory.GetFiles(root, "*.png", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var reports = new List<LoadProgress>();

        await ImageFolderLoader.LoadAsync(root, Lenient, new ParquetRoundTripTests.SyncProgress(reports), CancellationToken.None);

        Assert.Equal(7, reports.Count);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.BytesRead < p.Second.BytesRead));
        Assert.Equal(total, reports[^1].BytesRead);
        Assert.All(reports, r => Assert.Equal(total, r.TotalBytes));
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "a/1.png", 2, 2, SKColors.Red);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImageFolderLoader.LoadAsync(root, Lenient, null, cts.Token));
    }

    [Fact]
    public async Task PixelBudget_IsEnforced()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "a/1.png", 10, 10, SKColors.Red);
        ImageTestFiles.Png(root, "a/2.png", 10, 10, SKColors.Red);

        var ex = await Assert.ThrowsAsync<FerryException>(
            () => ImageFolderLoader.LoadAsync(root, Lenient with { MaxTotalPixelBytes = 500 }, null, CancellationToken.None));

        Assert.Equal("IMAGE_DATASET_TOO_LARGE", ex.Code);
    }

    [Fact]
    public async Task ExifOrientation_IsApplied()
    {
        var root = ImageTestFiles.NewRoot();

        // Stored 32 wide x 16 high, red left and blue right; orientation 6 means "rotate 90° clockwise to show",
        // which puts the red half on top of a 16 x 32 image.
        var path = ImageTestFiles.Jpeg(root, "a/rotated.jpg", 32, 16, new SKColor(250, 0, 0), new SKColor(0, 0, 250));
        ImageTestFiles.AddExifOrientation(path, 6);

        var item = (await ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None)).Dataset.Items[0];

        Assert.Equal((16, 32), (item.Width, item.Height));
        AssertClose([250, 0, 0], Rgb(item, 8, 4));
        AssertClose([0, 0, 250], Rgb(item, 8, 28));
    }

    [Fact]
    public async Task LoaderHash_EqualsTheHasherHash()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "a/1.png", 3, 3, SKColors.Red);
        ImageTestFiles.Bytes(root, "b/broken.png", [1, 2]);

        var loaded = await ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None);

        Assert.Equal(await ImageFolderHasher.ComputeAsync(root, CancellationToken.None), loaded.ContentHash);
    }

    private static int[] Rgb(ImageItem item, int x, int y) => [item.GetSample(x, y, 0), item.GetSample(x, y, 1), item.GetSample(x, y, 2)];

    private static void AssertClose(int[] expected, int[] actual, int tolerance = 12)
    {
        for (var c = 0; c < expected.Length; c++)
        {
            Assert.True(Math.Abs(expected[c] - actual[c]) <= tolerance, $"channel {c}: expected about {expected[c]}, got {actual[c]} ({string.Join(",", actual)})");
        }
    }
}
