namespace Ferry.Tracking.Artifacts.Tests;

public sealed class ArtifactPathTests
{
    [Theory]
    [InlineData("a", "a")]
    [InlineData("model/weights.bin", "model/weights.bin")]
    [InlineData("a b/c-d_e.f", "a b/c-d_e.f")]
    [InlineData(".hidden/..dots../x..y", ".hidden/..dots../x..y")]
    [InlineData("données/模型/🚀", "données/模型/🚀")]
    public void Normalize_ValidFilePath_ReturnsItUnchanged(string path, string expected) =>
        Assert.Equal(expected, ArtifactPath.Normalize(path));

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("plots/", "plots")]
    [InlineData("a/b/", "a/b")]
    [InlineData("a/b", "a/b")]
    public void Normalize_Folder_AllowsOneTrailingSlashAndEmptyForRoot(string? path, string expected) =>
        Assert.Equal(expected, ArtifactPath.Normalize(path, isFolder: true));

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("a/..")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\x")]
    [InlineData("C:/x")]
    [InlineData("c:x")]
    [InlineData("\\\\server\\share")]
    public void Normalize_PathLeavingTheRoot_SaysItMustStayInside(string path)
    {
        var error = Assert.Throws<FerryException>(() => ArtifactPath.Normalize(path));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.StartsWith($"artifact path '{path}' must stay inside the run's artifact folder", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a//b", "empty segment")]
    [InlineData("a/./b", "'.' segment")]
    [InlineData("a\\b", "backslash")]
    [InlineData("a/b/", "ends with '/'")]
    [InlineData("", "is empty")]
    [InlineData("a\tb", "U+0009")]
    [InlineData("a\u007fb", "U+007F")]
    public void Normalize_MalformedFilePath_NamesTheProblem(string path, string problem)
    {
        var error = Assert.Throws<FerryException>(() => ArtifactPath.Normalize(path));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.Code);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_Nul_IsShownEscapedInTheMessage()
    {
        var error = Assert.Throws<FerryException>(() => ArtifactPath.Normalize("a\0b"));

        Assert.Contains("'a\\u0000b'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', error.Message);
    }

    [Theory]
    [InlineData("a//", true)]
    [InlineData("/", true)]
    [InlineData("a", false)]
    public void Normalize_OnlyOneTrailingSlash_AndNeverALeadingOne(string path, bool refused)
    {
        if (refused)
        {
            Assert.Throws<FerryException>(() => ArtifactPath.Normalize(path, isFolder: true));
        }
        else
        {
            Assert.Equal(path, ArtifactPath.Normalize(path, isFolder: true));
        }
    }

    [Fact]
    public void Normalize_OverLongPathOrSegment_IsRefused()
    {
        var longSegment = new string('a', 256);
        var longPath = string.Join('/', Enumerable.Repeat(new string('b', 200), 6));

        Assert.Contains("segment longer than 255", Assert.Throws<FerryException>(() => ArtifactPath.Normalize(longSegment)).Message, StringComparison.Ordinal);
        Assert.Contains("longer than 1024 bytes", Assert.Throws<FerryException>(() => ArtifactPath.Normalize(longPath)).Message, StringComparison.Ordinal);
        Assert.Equal(255, ArtifactPath.Normalize(new string('a', 255)).Length);
    }
}
