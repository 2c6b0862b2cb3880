using Ferry.Data.Images;
using SkiaSharp;

namespace Ferry.Data.Tests.Images;

public class ImageOrientationTests
{
    // Stored 3 wide x 2 high:  1 2 3 / 4 5 6. Expected results worked out by hand from the EXIF definitions.
    private static readonly byte[] Stored = [1, 2, 3, 4, 5, 6];

    [Theory]
    [InlineData(SKEncodedOrigin.TopLeft, 3, 2, new byte[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData(SKEncodedOrigin.TopRight, 3, 2, new byte[] { 3, 2, 1, 6, 5, 4 })]
    [InlineData(SKEncodedOrigin.BottomRight, 3, 2, new byte[] { 6, 5, 4, 3, 2, 1 })]
    [InlineData(SKEncodedOrigin.BottomLeft, 3, 2, new byte[] { 4, 5, 6, 1, 2, 3 })]
    [InlineData(SKEncodedOrigin.LeftTop, 2, 3, new byte[] { 1, 4, 2, 5, 3, 6 })]
    [InlineData(SKEncodedOrigin.RightTop, 2, 3, new byte[] { 4, 1, 5, 2, 6, 3 })]
    [InlineData(SKEncodedOrigin.RightBottom, 2, 3, new byte[] { 6, 3, 5, 2, 4, 1 })]
    [InlineData(SKEncodedOrigin.LeftBottom, 2, 3, new byte[] { 3, 6, 2, 5, 1, 4 })]
    public void Orient_MatchesTheExifDefinition(SKEncodedOrigin origin, int width, int height, byte[] expected)
    {
        var (w, h, pixels) = ImageDecoder.Orient(Stored, 3, 2, 1, origin);

        Assert.Equal((width, height), (w, h));
        Assert.Equal(expected, pixels);
    }

    [Fact]
    public void Orient_MovesWholePixels_ForRgb()
    {
        // 2 x 1 RGB: (1,2,3) (4,5,6); rotated clockwise it is 1 x 2 with the left pixel on top.
        var (w, h, pixels) = ImageDecoder.Orient([1, 2, 3, 4, 5, 6], 2, 1, 3, SKEncodedOrigin.RightTop);

        Assert.Equal((1, 2), (w, h));
        Assert.Equal([1, 2, 3, 4, 5, 6], pixels);
    }
}
