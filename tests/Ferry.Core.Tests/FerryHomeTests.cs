namespace Ferry.Core.Tests;

public class FerryHomeTests
{
    [Fact]
    public void Resolve_PrefersOptionThenEnvironmentThenDefault()
    {
        Assert.Equal(Path.GetFullPath("/tmp/a"), FerryHome.Resolve("/tmp/a", "/tmp/b").Root);
        Assert.Equal(Path.GetFullPath("/tmp/b"), FerryHome.Resolve(null, "/tmp/b").Root);
        Assert.Equal(Path.GetFullPath(".ferry"), FerryHome.Resolve(" ", null).Root);
    }

    [Fact]
    public async Task AtomicDirectory_FailedWrite_LeavesNothing()
    {
        var parent = Directory.CreateTempSubdirectory("ferry-atomic").FullName;
        var target = Path.Combine(parent, "report");
        await Assert.ThrowsAsync<InvalidOperationException>(() => AtomicDirectory.WriteAsync(target, async (dir, ct) =>
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "half.txt"), "x", ct);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));

        await AtomicDirectory.WriteAsync(target, (dir, ct) => File.WriteAllTextAsync(Path.Combine(dir, "ok.txt"), "y", ct), CancellationToken.None);
        Assert.Equal("y", File.ReadAllText(Path.Combine(target, "ok.txt")));
        Assert.Single(Directory.EnumerateFileSystemEntries(parent));
    }
}
