using Ferry.Data.Schema;

namespace Ferry.Data.Images;

/// <summary>The distinct image shapes in a dataset and how many images have each.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">1 for grayscale, 3 for RGB.</param>
/// <param name="Count">How many images have this shape.</param>
public sealed record ImageSizeCount(int Width, int Height, int Channels, int Count);

/// <summary>
/// Labelled images in a fixed order, with the class list and summaries the schema and report steps need.
/// Within a dataset loaded from a folder every image has the same channel count (see <see cref="ImageFolderLoader"/>).
/// </summary>
public sealed class ImageDataset
{
    private readonly ImageItem[] _items;

    /// <summary>Creates a dataset over <paramref name="items"/>, kept in the given order.</summary>
    /// <exception cref="ArgumentException">An item's pixel buffer does not match its size, or its channel count is not 1 or 3.</exception>
    public ImageDataset(IEnumerable<ImageItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
        var perClass = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var sizes = new Dictionary<(int Width, int Height, int Channels), int>();
        foreach (var item in _items)
        {
            Validate(item);
            perClass[item.Label] = perClass.GetValueOrDefault(item.Label) + 1;
            var key = (item.Width, item.Height, item.Channels);
            sizes[key] = sizes.GetValueOrDefault(key) + 1;
        }

        Classes = [.. perClass.Keys];
        ClassCounts = [.. perClass.Select(p => new ValueCount(p.Key, p.Value))];
        Sizes = [.. sizes
            .Select(s => new ImageSizeCount(s.Key.Width, s.Key.Height, s.Key.Channels, s.Value))
            .OrderByDescending(s => s.Count).ThenBy(s => s.Width).ThenBy(s => s.Height).ThenBy(s => s.Channels)];
    }

    /// <summary>The images, in load order (ordinal by label, then by id).</summary>
    public IReadOnlyList<ImageItem> Items => _items;

    /// <summary>The number of images.</summary>
    public int Count => _items.Length;

    /// <summary>The distinct labels, sorted ordinally.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Images per label, in the order of <see cref="Classes"/>.</summary>
    public IReadOnlyList<ValueCount> ClassCounts { get; }

    /// <summary>The distinct (width, height, channels) shapes, most common first.</summary>
    public IReadOnlyList<ImageSizeCount> Sizes { get; }

    /// <summary>Whether every image has the same width, height and channel count.</summary>
    public bool HasUniformSize => Sizes.Count <= 1;

    private static void Validate(ImageItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Channels is not (1 or 3))
        {
            throw new ArgumentException($"image '{item.Id}' has {item.Channels} channels; only 1 (gray) or 3 (RGB) are supported", nameof(item));
        }

        if (item.Width <= 0 || item.Height <= 0 || item.Pixels is null || item.Pixels.LongLength != (long)item.Width * item.Height * item.Channels)
        {
            throw new ArgumentException(
                $"image '{item.Id}' is {item.Width}x{item.Height}x{item.Channels} but holds {item.Pixels?.LongLength ?? 0} samples", nameof(item));
        }
    }
}
