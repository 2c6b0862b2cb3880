using Ferry.Data.Images;
using SkiaSharp;

namespace Ferry.Data.Tests.Images;

public class ImageFolderWriterTests
{
    private static readonly ImageLoadOptions Lenient = new();

    [Fact]
    public async Task DigitsWrittenAsPngs_LoadBackWithTheSamePixelsLabelsAndOrder()
    {
        var digits = DigitsImages.FromTable(Parquet.ParquetTestData.ReadSampleCsv("digits.csv"));
        var some = new ImageDataset(digits.Items.Where((_, i) => i % 40 == 0));
        var root = Path.Combine(ImageTestFiles.NewRoot(), "digits");

        var written = await ImageFolderWriter.WriteAsync(some, root, CancellationToken.None);

        Assert.Equal(some.Count, written.Count);
        Assert.Equal(Path.Combine(root, some.Items[0].Label, some.Items[0].Id + ".png"), written[0]);
        var loaded = (await ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None)).Dataset;
        var byId = loaded.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        Assert.Equal(some.Count, loaded.Count);
        foreach (var item in some.Items)
        {
            var back = byId[$"{item.Label}/{item.Id}.png"];
            Assert.Equal((item.Label, item.Width, item.Height, 1), (back.Label, back.Width, back.Height, back.Channels));
            Assert.Equal(item.Pixels, back.Pixels);
        }
    }

    [Fact]
    public async Task ColourImages_RoundTripExactly()
    {
        var pixels = Enumerable.Range(0, 3 * 2 * 3).Select(i => (byte)(i * 13)).ToArray();
        var images = new ImageDataset([new ImageItem("a/x.jpg", "red", 3, 2, 3, pixels), new ImageItem("b", "blue", 1, 1, 3, [1, 2, 3])]);
        var root = ImageTestFiles.NewRoot();

        await ImageFolderWriter.WriteAsync(images, root, CancellationToken.None);

        var loaded = (await ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None)).Dataset;
        Assert.Equal(["blue/b.png", "red/a_x.png"], loaded.Items.Select(i => i.Id));
        Assert.Equal(pixels, loaded.Items[1].Pixels);
        Assert.Equal([1, 2, 3], loaded.Items[0].Pixels);
    }

    [Theory]
    [InlineData("", "IMAGE_LABEL_NOT_FOLDER")]
    [InlineData("..", "IMAGE_LABEL_NOT_FOLDER")]
    [InlineData("a/b", "IMAGE_LABEL_NOT_FOLDER")]
    [InlineData(".hidden", "IMAGE_LABEL_NOT_FOLDER")]
    public async Task LabelsThatCannotNameAFolder_AreRefusedBeforeWriting(string label, string code)
    {
        var root = Path.Combine(ImageTestFiles.NewRoot(), "out");
        var images = new ImageDataset([new ImageItem("ok", "fine", 1, 1, 1, [7]), new ImageItem("bad", label, 1, 1, 1, [7])]);

        var error = await Assert.ThrowsAsync<FerryException>(() => ImageFolderWriter.WriteAsync(images, root, CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task ExistingFilesAndClashingIds_AreRefused()
    {
        var root = ImageTestFiles.NewRoot();
        var one = new ImageDataset([new ImageItem("x", "a", 1, 1, 1, [7])]);
        await ImageFolderWriter.WriteAsync(one, root, CancellationToken.None);

        var again = await Assert.ThrowsAsync<FerryException>(() => ImageFolderWriter.WriteAsync(one, root, CancellationToken.None));
        var clash = await Assert.ThrowsAsync<FerryException>(() => ImageFolderWriter.WriteAsync(
            new ImageDataset([new ImageItem("p/q", "a", 1, 1, 1, [1]), new ImageItem("p_q", "a", 1, 1, 1, [2])]), ImageTestFiles.NewRoot(), CancellationToken.None));

        Assert.Equal("FILE_EXISTS", again.Code);
        Assert.Equal("IMAGE_FILE_CLASH", clash.Code);
    }
}

public class ImageFolderPredictionLoadTests
{
    private static readonly ImageLoadOptions Lenient = new();

    [Fact]
    public async Task AFlatFolder_LoadsEveryImageUnlabelled_WhereTrainingLoadsRefuseIt()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.Png(root, "b.png", 2, 2, SKColors.Red);
        ImageTestFiles.GrayPng(root, "a.png", 2, 1, [10, 20]);
        ImageTestFiles.Bytes(root, "notes.txt", "x"u8.ToArray());
        ImageTestFiles.Png(root, ".hidden.png", 2, 2, SKColors.Red);

        var result = await ImageFolderLoader.LoadForPredictionAsync(root, Lenient, null, CancellationToken.None);
        var training = await Assert.ThrowsAsync<FerryException>(() => ImageFolderLoader.LoadAsync(root, Lenient, null, CancellationToken.None));

        Assert.Equal(["a.png", "b.png"], result.Dataset.Items.Select(i => i.Id));
        Assert.All(result.Dataset.Items, i => Assert.Equal("", i.Label));
        // Mixed gray and colour are widened to RGB, as for training.
        Assert.Equal([10, 10, 10, 20, 20, 20], result.Dataset.Items[0].Pixels);
        Assert.Contains(result.Notes, n => n.Contains(".txt", StringComparison.Ordinal));
        Assert.Equal("IMAGE_FOLDER_EMPTY", training.Code);
    }

    [Fact]
    public async Task ClassFoldersKeepTheirLabels_AndLooseImagesBesideThemAreUnlabelled()
    {
        var root = ImageTestFiles.NewRoot();
        ImageTestFiles.GrayPng(root, "cat/1.png", 1, 1, [1]);
        ImageTestFiles.GrayPng(root, "dog/deep/2.png", 1, 1, [2]);
        ImageTestFiles.GrayPng(root, "new.png", 1, 1, [3]);

        var result = await ImageFolderLoader.LoadForPredictionAsync(root, Lenient, null, CancellationToken.None);

        Assert.Equal([("new.png", ""), ("cat/1.png", "cat"), ("dog/deep/2.png", "dog")], result.Dataset.Items.Select(i => (i.Id, i.Label)));
        Assert.DoesNotContain(result.Notes, n => n.Contains("directly in the root", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFolderWithNoImageOrOnlyBrokenOnes_SaysSo()
    {
        var empty = ImageTestFiles.NewRoot();
        ImageTestFiles.Bytes(empty, "readme.md", "x"u8.ToArray());
        var broken = ImageTestFiles.NewRoot();
        ImageTestFiles.Bytes(broken, "x.png", [1, 2, 3]);

        var none = await Assert.ThrowsAsync<FerryException>(() => ImageFolderLoader.LoadForPredictionAsync(empty, Lenient, null, CancellationToken.None));
        var unreadable = await Assert.ThrowsAsync<FerryException>(() => ImageFolderLoader.LoadForPredictionAsync(broken, Lenient, null, CancellationToken.None));

        Assert.Equal("IMAGE_FOLDER_EMPTY", none.Code);
        Assert.Contains("neither directly nor in subfolders", none.Message, StringComparison.Ordinal);
        Assert.Equal("IMAGE_NONE_READABLE", unreadable.Code);
    }
}
