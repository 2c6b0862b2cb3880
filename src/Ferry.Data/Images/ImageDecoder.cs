using SkiaSharp;

namespace Ferry.Data.Images;

/// <summary>Decoded pixels, or why there are none.</summary>
internal readonly record struct DecodedImage(int Width, int Height, int Channels, byte[]? Pixels, string? Error)
{
    public static DecodedImage Failed(string reason) => new(0, 0, 0, null, reason);
}

/// <summary>
/// Decodes PNG/JPEG bytes with SkiaSharp into 8-bit gray (1 channel) or RGB (3 channels).
/// Images stored as grayscale stay gray; everything else becomes RGB, with transparency composited on white
/// (a transparent background should look like paper, not like black ink). EXIF orientation is applied so a
/// photo taken sideways reads the way it is shown. No colour-space conversion: the stored values are used.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>Decodes <paramref name="bytes"/>; <paramref name="maxPixels"/> guards against decompression bombs.</summary>
    public static DecodedImage Decode(byte[] bytes, long maxPixels)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return DecodedImage.Failed("not a decodable PNG or JPEG image (the content is damaged or in another format)");
        }

        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
        {
            return DecodedImage.Failed($"the image claims an impossible size of {info.Width}x{info.Height}");
        }

        var pixels = (long)info.Width * info.Height;
        if (pixels > maxPixels || pixels * 4 > Array.MaxLength)
        {
            return DecodedImage.Failed($"the image is {info.Width}x{info.Height}, too large to load; resize it first");
        }

        var gray = info.ColorType == SKColorType.Gray8;
        var target = gray
            ? new SKImageInfo(info.Width, info.Height, SKColorType.Gray8, SKAlphaType.Opaque)
            : new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var raw = new byte[target.BytesSize64];
        var result = codec.GetPixels(target, raw);
        if (result != SKCodecResult.Success)
        {
            return DecodedImage.Failed(result == SKCodecResult.IncompleteInput
                ? "the image data is truncated (the file is incomplete)"
                : $"the image could not be decoded ({result})");
        }

        var channels = gray ? 1 : 3;
        var samples = gray ? raw : CompositeOnWhite(raw);
        var (width, height, oriented) = Orient(samples, info.Width, info.Height, channels, codec.EncodedOrigin);
        return new DecodedImage(width, height, channels, oriented, null);
    }

    /// <summary>Premultiplied RGBA to RGB over white: with premultiplied colour, c + (255 - alpha) is exact compositing.</summary>
    private static byte[] CompositeOnWhite(byte[] rgba)
    {
        var rgb = new byte[rgba.Length / 4 * 3];
        for (int s = 0, d = 0; s < rgba.Length; s += 4, d += 3)
        {
            var background = 255 - rgba[s + 3];
            rgb[d] = (byte)(rgba[s] + background);
            rgb[d + 1] = (byte)(rgba[s + 1] + background);
            rgb[d + 2] = (byte)(rgba[s + 2] + background);
        }

        return rgb;
    }

    /// <summary>Turns stored pixels into displayed pixels for an EXIF orientation.</summary>
    internal static (int Width, int Height, byte[] Pixels) Orient(byte[] source, int width, int height, int channels, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft || !Enum.IsDefined(origin))
        {
            return (width, height, source);
        }

        var swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (outWidth, outHeight) = swaps ? (height, width) : (width, height);
        var target = new byte[source.Length];
        for (var y = 0; y < outHeight; y++)
        {
            for (var x = 0; x < outWidth; x++)
            {
                // (sx, sy) is the stored pixel that is displayed at (x, y).
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (width - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, height - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, height - 1 - x),
                    SKEncodedOrigin.RightBottom => (width - 1 - y, height - 1 - x),
                    _ => (width - 1 - y, x), // LeftBottom
                };
                Array.Copy(source, ((sy * width) + sx) * channels, target, ((y * outWidth) + x) * channels, channels);
            }
        }

        return (outWidth, outHeight, target);
    }
}
