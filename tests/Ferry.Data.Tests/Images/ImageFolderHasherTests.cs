using Ferry.Data.Images;
using SkiaSharp;

namespace Ferry.Data.Tests.Images;

public class ImageFolderHasherTests
{
    [Fact]
    public async Task SameContent_InTwoPlaces_CreatedInOtherOrders_HashesAlike()
    {
        var first = ImageTestFiles.NewRoot();
        var second = ImageTestFiles.NewRoot();
        MakeFolder(first, reverse: false);
        MakeFolder(second, reverse: true);
        File.SetLastWriteTimeUtc(Path.Combine(second, "cat", "1.png"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var a = await ImageFolderHasher.ComputeAsync(first, CancellationToken.None);
        var b = await ImageFolderHasher.ComputeAsync(second, CancellationToken.None);

        Assert.Equal(a, b);
        Assert.Matches("^sha256:[0-9a-f]{64}$", a);
    }

    [Fact]
    public async Task CopiedFolder_HashesAlike()
    {
        var original = ImageTestFiles.NewRoot();
        MakeFolder(original, reverse: false);
        var copy = Path.Combine(ImageTestFiles.NewRoot(), "elsewhere");
        foreach (var file in Directory.GetFiles(original, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(original, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Assert.Equal(
            await ImageFolderHasher.ComputeAsync(original, CancellationToken.None),
            await ImageFolderHasher.ComputeAsync(copy, CancellationToken.None));
    }

    [Fact]
    public async Task ChangingOnePixel_ChangesTheHash()
    {
        var root = ImageTestFiles.NewRoot();
        MakeFolder(root, reverse: false);
        var before = await ImageFolderHasher.ComputeAsync(root, CancellationToken.None);

        ImageTestFiles.Png(root, "dog/1.png", 4, 4, SKColors.Blue, 3, 3, new SKColor(0, 0, 254));

        Assert.NotEqual(before, await ImageFolderHasher.ComputeAsync(root, CancellationToken.None));
    }

    [Fact]
    public async Task MovingAFileToAnotherClass_ChangesTheHash()
    {
        var root = ImageTestFiles.NewRoot();
        MakeFolder(root, reverse: false);
        var before = await ImageFolderHasher.ComputeAsync(root, CancellationToken.None);

        File.Move(Path.Combine(root, "cat", "2.png"), Path.Combine(root, "dog", "2.png"));

        Assert.NotEqual(before, await ImageFolderHasher.ComputeAsync(root, CancellationToken.None));
    }

    [Fact]
    public async Task RenamingAFile_ChangesTheHash()
    {
        var root = ImageTestFiles.NewRoot();
        MakeFolder(root, reverse: false);
        var before = await ImageFolderHasher.ComputeAsync(root, CancellationToken.None);

        File.Move(Path.Combine(root, "cat", "2.png"), Path.Combine(root, "cat", "3.png"));

        Assert.NotEqual(before, await ImageFolderHasher.ComputeAsync(root, CancellationToken.None));
    }

    [Fact]
    public async Task IgnoredFiles_DoNotChangeTheHash()
    {
        var root = ImageTestFiles.NewRoot();
        MakeFolder(root, reverse: false);
        var before = await ImageFolderHasher.ComputeAsync(root, CancellationToken.None);

        ImageTestFiles.Bytes(root, "README.md", "notes"u8.ToArray());
        ImageTestFiles.Bytes(root, "cat/.DS_Store", [0]);
        ImageTestFiles.Bytes(root, "cat/labels.csv", [0]);

        Assert.Equal(before, await ImageFolderHasher.ComputeAsync(root, CancellationToken.None));
    }

    [Fact]
    public async Task MissingFolder_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<FerryException>(
            () => ImageFolderHasher.ComputeAsync(Path.Combine(ImageTestFiles.NewRoot(), "nope"), CancellationToken.None));

        Assert.Equal("FILE_NOT_FOUND", ex.Code);
    }

    private static void MakeFolder(string root, bool reverse)
    {
        var steps = new List<Action>
        {
            () => ImageTestFiles.Png(root, "cat/1.png", 4, 4, SKColors.Red, 1, 1, SKColors.Green),
            () => ImageTestFiles.Png(root, "cat/2.png", 3, 5, SKColors.Yellow),
            () => ImageTestFiles.Png(root, "dog/1.png", 4, 4, SKColors.Blue, 3, 3, SKColors.White),
            () => ImageTestFiles.GrayPng(root, "dog/g.png", 2, 2, [1, 2, 3, 4]),
        };
        if (reverse)
        {
            steps.Reverse();
        }

        steps.ForEach(step => step());
    }
}
