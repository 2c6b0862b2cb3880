using SkiaSharp;

namespace Ferry.Data.Tests.Images;

/// <summary>Writes real PNG and JPEG files with SkiaSharp for the image tests.</summary>
internal static class ImageTestFiles
{
    public static string NewRoot() => Directory.CreateTempSubdirectory("ferry-img").FullName;

    /// <summary>An RGB PNG filled with <paramref name="fill"/>, with one pixel painted <paramref name="dot"/> at (dotX, dotY).</summary>
    public static string Png(string root, string relative, int width, int height, SKColor fill, int dotX = 0, int dotY = 0, SKColor? dot = null)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        bitmap.Erase(fill);
        if (dot is { } color)
        {
            bitmap.SetPixel(dotX, dotY, color);
        }

        return Save(root, relative, bitmap, SKEncodedImageFormat.Png, 100);
    }

    /// <summary>A grayscale (one channel) PNG with the given row-major values.</summary>
    public static string GrayPng(string root, string relative, int width, int height, byte[] values)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(values, 0, bitmap.GetPixels(), values.Length);
        return Save(root, relative, bitmap, SKEncodedImageFormat.Png, 100);
    }

    /// <summary>A JPEG whose left half is <paramref name="left"/> and right half <paramref name="right"/> (large flat areas survive JPEG).</summary>
    public static string Jpeg(string root, string relative, int width, int height, SKColor left, SKColor right)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, x < width / 2 ? left : right);
            }
        }

        return Save(root, relative, bitmap, SKEncodedImageFormat.Jpeg, 95);
    }

    /// <summary>Inserts an EXIF APP1 segment carrying <paramref name="orientation"/> after the JPEG's first segment.</summary>
    public static void AddExifOrientation(string jpegPath, ushort orientation)
    {
        var bytes = File.ReadAllBytes(jpegPath);
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, // APP1, length 34
            (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF, IFD at 8
            0x00, 0x01, // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00, // Orientation, SHORT
            0x00, 0x00, 0x00, 0x00, // no next IFD
        ];

        // After SOI and, if present, the JFIF APP0 segment.
        var at = 2;
        if (bytes[2] == 0xFF && bytes[3] == 0xE0)
        {
            at = 4 + ((bytes[4] << 8) | bytes[5]);
        }

        File.WriteAllBytes(jpegPath, [.. bytes.AsSpan(0, at), .. exif, .. bytes.AsSpan(at)]);
    }

    public static string Bytes(string root, string relative, byte[] content)
    {
        var path = Prepare(root, relative);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string Save(string root, string relative, SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        var path = Prepare(root, relative);
        using var data = bitmap.Encode(format, quality);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    private static string Prepare(string root, string relative)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
