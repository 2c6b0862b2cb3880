using System.Runtime.InteropServices;
using SkiaSharp;

namespace Ferry.Data.Images;

/// <summary>
/// Writes images as a folder <see cref="ImageFolderLoader"/> reads back: <c>root/&lt;label&gt;/&lt;name&gt;.png</c>, lossless
/// PNG, gray images as gray PNGs. Turns an image table such as the digits sample into an image folder (for samples
/// and tests) or exports a dataset; loading the folder gives the same pixels and labels.
/// </summary>
public static class ImageFolderWriter
{
    /// <summary>
    /// Writes every image of <paramref name="images"/> under <paramref name="root"/> (created if missing). The file name
    /// is the image's id with '/' turned into '_' and any extension replaced by <c>.png</c> (<c>row-1</c> → <c>row-1.png</c>).
    /// </summary>
    /// <returns>The paths written, in the dataset's order.</returns>
    /// <exception cref="FerryException">
    /// <c>IMAGE_LABEL_NOT_FOLDER</c> when a label cannot be a folder name; <c>IMAGE_FILE_CLASH</c> when two images
    /// would be written to the same file; <c>FILE_EXISTS</c> when a file is already there (nothing is overwritten).
    /// </exception>
    public static async Task<IReadOnlyList<string>> WriteAsync(ImageDataset images, string root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(root);
        var targets = Targets(images, Path.GetFullPath(root));
        foreach (var (item, path) in images.Items.Zip(targets))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var bytes = Encode(item);
            try
            {
                await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
                await stream.WriteAsync(bytes, cancellationToken);
            }
            catch (IOException) when (File.Exists(path))
            {
                throw FerryException.Invalid("FILE_EXISTS", $"'{path}' already exists; write into an empty folder.", new SourceLocation(path));
            }
        }

        return targets;
    }

    private static List<string> Targets(ImageDataset images, string root)
    {
        var targets = new List<string>(images.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in images.Items)
        {
            if (item.Label.Length == 0 || item.Label is "." or ".." || item.Label.IndexOfAny(['/', '\\', '\0']) >= 0 || item.Label.StartsWith('.'))
            {
                throw FerryException.Invalid(
                    "IMAGE_LABEL_NOT_FOLDER",
                    $"image '{item.Id}' has label '{item.Label}', which cannot name a class folder; labels must be non-empty, must not start with '.' and must not hold '/' or '\\'.");
            }

            var name = Path.GetFileNameWithoutExtension(item.Id.Replace('/', '_').Replace('\\', '_')) + ".png";
            var path = Path.Combine(root, item.Label, name);
            if (!seen.Add(path))
            {
                throw FerryException.Invalid("IMAGE_FILE_CLASH", $"two images would both be written to '{path}'; give the images distinct ids.");
            }

            targets.Add(path);
        }

        return targets;
    }

    private static byte[] Encode(ImageItem item)
    {
        var gray = item.Channels == 1;
        using var bitmap = new SKBitmap(new SKImageInfo(item.Width, item.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque));
        var bytesPerPixel = gray ? 1 : 4;
        var row = new byte[item.Width * bytesPerPixel];
        for (var y = 0; y < item.Height; y++)
        {
            for (var x = 0; x < item.Width; x++)
            {
                if (gray)
                {
                    row[x] = item.GetSample(x, y);
                }
                else
                {
                    row[4 * x] = item.GetSample(x, y, 0);
                    row[(4 * x) + 1] = item.GetSample(x, y, 1);
                    row[(4 * x) + 2] = item.GetSample(x, y, 2);
                    row[(4 * x) + 3] = 255;
                }
            }

            // Rows may be padded in the bitmap's memory, so each is copied to its own start.
            Marshal.Copy(row, 0, bitmap.GetPixels() + (y * bitmap.RowBytes), row.Length);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode image '{item.Id}' as PNG");
        return data.ToArray();
    }
}
