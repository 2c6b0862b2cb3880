using System.Security.Cryptography;
using Ferry.Data.Loading;

namespace Ferry.Data.Images;

/// <summary>
/// Loads a folder laid out <c>root/&lt;label&gt;/*.png|jpg|jpeg</c> into an <see cref="ImageDataset"/>.
/// </summary>
/// <remarks>
/// Order is deterministic: ordinal by label, then by relative path. Images are decoded in parallel but the result,
/// including which bad image a strict load reports, does not depend on timing. Channels: images stored as grayscale
/// load with 1 channel and everything else as RGB; when a folder mixes both, the grayscale ones are widened to RGB
/// (and a note says so), so every image in a dataset has the same channel count and a model sees one input shape.
/// </remarks>
public static class ImageFolderLoader
{
    /// <summary>Loads the images under <paramref name="root"/>.</summary>
    /// <param name="root">The dataset folder, holding one subfolder per class.</param>
    /// <param name="options">Strictness and limits.</param>
    /// <param name="progress">Receives the bytes of image files processed so far, once per file.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <exception cref="FerryException">
    /// <c>FILE_NOT_FOUND</c> (no such folder), <c>IMAGE_FOLDER_EMPTY</c> (no class folder or no image),
    /// <c>IMAGE_CORRUPT</c> (strict, first undecodable image), <c>IMAGE_NONE_READABLE</c> (no image decoded),
    /// <c>FILE_UNREADABLE</c> (a file cannot be opened), <c>IMAGE_DATASET_TOO_LARGE</c> (past <see cref="ImageLoadOptions.MaxTotalPixelBytes"/>).
    /// </exception>
    public static Task<ImageLoadResult> LoadAsync(
        string root, ImageLoadOptions options, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        return LoadAsync(root, ImageFolderScan.Scan(root, cancellationToken), options, progress, cancellationToken);
    }

    /// <summary>
    /// Loads the images under <paramref name="root"/> to predict them, labelled or not: images directly in the folder
    /// get an empty label, images in a subfolder (at any depth) the subfolder's name, as in training. So a flat folder
    /// of new images and a labelled test folder (one subfolder per class) both load; hidden files and other extensions
    /// are skipped and counted in the notes. Ids are paths relative to the root (<c>x.png</c>, <c>cat/001.png</c>).
    /// </summary>
    /// <param name="root">The folder of images.</param>
    /// <param name="options">Strictness and limits.</param>
    /// <param name="progress">Receives the bytes of image files processed so far, once per file.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <exception cref="FerryException">
    /// <c>FILE_NOT_FOUND</c> (no such folder), <c>IMAGE_FOLDER_EMPTY</c> (no image at all), <c>IMAGE_CORRUPT</c>,
    /// <c>IMAGE_NONE_READABLE</c>, <c>FILE_UNREADABLE</c> or <c>IMAGE_DATASET_TOO_LARGE</c>, as for <see cref="LoadAsync(string, ImageLoadOptions, IProgress{LoadProgress}?, CancellationToken)"/>.
    /// </exception>
    public static Task<ImageLoadResult> LoadForPredictionAsync(
        string root, ImageLoadOptions options, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        return LoadAsync(root, ImageFolderScan.Scan(root, rootFilesUnlabelled: true, cancellationToken), options, progress, cancellationToken);
    }

    private static async Task<ImageLoadResult> LoadAsync(
        string root, ImageFolderScan scan, ImageLoadOptions options, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        var files = scan.Files;
        var decoded = new DecodedImage[files.Count];
        var fileHashes = new byte[files.Count][];
        var reporter = new ProgressReporter(progress, files.Sum(f => f.Length));
        var firstBad = int.MaxValue;
        var pixelBytes = 0L;

        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), parallel, async (i, token) =>
        {
            // In strict mode only images before the first known bad one still matter; any of them could be
            // the one to report, so they are always decoded and the reported image never depends on timing.
            if (options.Strict && i > Volatile.Read(ref firstBad))
            {
                return;
            }

            var file = files[i];
            var bytes = await ReadAsync(file, token);
            fileHashes[i] = SHA256.HashData(bytes);
            var image = DecodeSafely(bytes, options.MaxTotalPixelBytes);
            decoded[i] = image;
            if (image.Error is null)
            {
                var total = Interlocked.Add(ref pixelBytes, image.Pixels!.LongLength);
                if (total > options.MaxTotalPixelBytes)
                {
                    throw TooLarge(root, options);
                }
            }
            else if (options.Strict)
            {
                LowerTo(ref firstBad, i);
            }

            reporter.Add(file.Length);
        });

        if (firstBad != int.MaxValue)
        {
            var bad = files[firstBad];
            throw FerryException.Invalid(
                "IMAGE_CORRUPT",
                $"image '{bad.RelativePath}' in '{root}' cannot be used: {decoded[firstBad].Error}. Replace or delete the file, or load without strict mode to skip bad images.",
                new SourceLocation(bad.FullPath));
        }

        return Assemble(root, options, scan, decoded, fileHashes);
    }

    /// <summary>The error for an image file that cannot be opened; shared with the hasher.</summary>
    internal static FerryException Unreadable(ImageFile file, Exception ex) =>
        FerryException.Invalid("FILE_UNREADABLE", $"cannot read '{file.FullPath}' ({ex.Message}); check it exists and is readable.", new SourceLocation(file.FullPath), ex);

    private static ImageLoadResult Assemble(string root, ImageLoadOptions options, ImageFolderScan scan, DecodedImage[] decoded, byte[][] fileHashes)
    {
        var files = scan.Files;
        var items = new List<ImageItem>(files.Count);
        var badImages = new List<BadImage>();
        var badCount = 0;
        using var hash = new ImageFolderHash();
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            hash.Add(file, fileHashes[i]);
            var image = decoded[i];
            if (image.Error is not null)
            {
                badCount++;
                if (badImages.Count < options.MaxBadImageDetails)
                {
                    badImages.Add(new BadImage(file.RelativePath, image.Error));
                }

                continue;
            }

            items.Add(new ImageItem(file.RelativePath, file.Label, image.Width, image.Height, image.Channels, image.Pixels!));
        }

        if (items.Count == 0)
        {
            throw FerryException.Invalid(
                "IMAGE_NONE_READABLE",
                $"none of the {files.Count} images in '{root}' could be decoded (first: '{badImages[0].Path}': {badImages[0].Reason}).",
                new SourceLocation(root));
        }

        var notes = scan.Notes().ToList();
        if (badCount > 0)
        {
            notes.Add($"{badCount} image(s) could not be decoded and were skipped.");
        }

        var grayCount = items.Count(i => i.Channels == 1);
        if (grayCount > 0 && grayCount < items.Count)
        {
            var widened = items.Sum(i => i.Channels == 1 ? i.Pixels.LongLength * 3 : i.Pixels.LongLength);
            if (widened > options.MaxTotalPixelBytes)
            {
                throw TooLarge(root, options);
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].Channels == 1)
                {
                    items[i] = items[i] with { Channels = 3, Pixels = GrayToRgb(items[i].Pixels) };
                }
            }

            notes.Add($"{grayCount} grayscale image(s) were converted to RGB to match the {items.Count - grayCount} colour one(s).");
        }

        return new ImageLoadResult(new ImageDataset(items), root, hash.Finish(), badImages, badCount, notes);
    }

    private static async Task<byte[]> ReadAsync(ImageFile file, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(file.FullPath, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(file, ex);
        }
    }

    private static DecodedImage DecodeSafely(byte[] bytes, long maxBytes)
    {
        try
        {
            return ImageDecoder.Decode(bytes, maxBytes / 3);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // SkiaSharp signals some malformed input with managed exceptions; to the user it is one more bad image.
            return DecodedImage.Failed($"the image could not be decoded ({ex.Message})");
        }
    }

    private static byte[] GrayToRgb(byte[] gray)
    {
        var rgb = new byte[gray.Length * 3];
        for (var i = 0; i < gray.Length; i++)
        {
            rgb[3 * i] = rgb[(3 * i) + 1] = rgb[(3 * i) + 2] = gray[i];
        }

        return rgb;
    }

    private static void LowerTo(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static FerryException TooLarge(string root, ImageLoadOptions options) =>
        FerryException.Invalid(
            "IMAGE_DATASET_TOO_LARGE",
            $"the images in '{root}' need more than {options.MaxTotalPixelBytes / (1 << 20)} MiB of memory once decoded; " +
            "resize them to the size the model needs (for example 224x224) or raise the limit.",
            new SourceLocation(root));

    /// <summary>Reports progress from parallel workers without ever going backwards.</summary>
    private sealed class ProgressReporter(IProgress<LoadProgress>? progress, long total)
    {
        private readonly Lock _gate = new();
        private long _done;

        public void Add(long bytes)
        {
            if (progress is null)
            {
                return;
            }

            lock (_gate)
            {
                _done += bytes;
                progress.Report(new LoadProgress(_done, total));
            }
        }
    }
}
