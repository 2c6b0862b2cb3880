using Ferry.Data.Images;
using Ferry.Learn.Torch.Training;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// Turns decoded images into the CNN's input: pixels in [0, 1], channel-major (C, H, W), at one fixed shape.
/// Images of another size are resized (bilinear with antialiasing); gray images feeding an RGB model are
/// repeated across channels and RGB images feeding a gray model are reduced to luma (ITU-R BT.601 weights).
/// </summary>
internal static class ImagePixels
{
    /// <summary>All images' pixels, one image after another, each <c>channels × height × width</c> values.</summary>
    public static float[] ToInputs(IReadOnlyList<ImageItem> items, int width, int height, int channels)
    {
        ArgumentNullException.ThrowIfNull(items);
        var length = width * height * channels;
        var result = new float[(long)items.Count * length];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw new ArgumentException($"image {i} is null", nameof(items));
            var pixels = item.Width == width && item.Height == height ? Planar(item) : Resized(item, width, height);
            Convert(pixels, item.Channels, channels, width * height).CopyTo(result.AsSpan(i * length, length));
        }

        return result;
    }

    /// <summary>An image's samples as (C, H, W) floats in [0, 1].</summary>
    private static float[] Planar(ImageItem item)
    {
        var plane = item.Width * item.Height;
        var result = new float[plane * item.Channels];
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < item.Channels; c++)
            {
                result[(c * plane) + p] = item.Pixels[(p * item.Channels) + c] / 255f;
            }
        }

        return result;
    }

    private static float[] Resized(ImageItem item, int width, int height)
    {
        using var scope = NewDisposeScope();
        var source = tensor(Planar(item), [1, item.Channels, item.Height, item.Width]);
        var resized = nn.functional.interpolate(source, [height, width], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        return resized.ClampScalar(0, 1).data<float>().ToArray();
    }

    private static float[] Convert(float[] planar, int from, int to, int plane)
    {
        if (from == to)
        {
            return planar;
        }

        var result = new float[plane * to];
        for (var p = 0; p < plane; p++)
        {
            if (to == 3)
            {
                result[p] = result[plane + p] = result[(2 * plane) + p] = planar[p];
            }
            else
            {
                result[p] = (0.299f * planar[p]) + (0.587f * planar[plane + p]) + (0.114f * planar[(2 * plane) + p]);
            }
        }

        return result;
    }
}
