using Ferry.Data.Images;
using Ferry.Learn.Torch.Images;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Tests;

public sealed class AugmenterTests
{
    /// <summary>A 6x5 image whose every pixel is distinct, so any shift or flip is recognisable.</summary>
    private static float[,] Distinct() => new float[5, 6] { { 1, 2, 3, 4, 5, 6 }, { 7, 8, 9, 10, 11, 12 }, { 13, 14, 15, 16, 17, 18 }, { 19, 20, 21, 22, 23, 24 }, { 25, 26, 27, 28, 29, 30 } };

    /// <summary>The image shifted by (dx, dy) with edges repeated, optionally mirrored first: computed by hand.</summary>
    private static float[] Expected(float[,] image, int dx, int dy, bool mirror)
    {
        var (height, width) = (image.GetLength(0), image.GetLength(1));
        var result = new float[height * width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sx = Math.Clamp(x + dx, 0, width - 1);
                result[(y * width) + x] = image[Math.Clamp(y + dy, 0, height - 1), mirror ? width - 1 - sx : sx];
            }
        }

        return result;
    }

    private static List<float[]> Augment(int images, int shift, bool flip)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var image = Distinct();
        var batch = tensor(Enumerable.Range(0, images).SelectMany(_ => image.Cast<float>()).ToArray(), [images, 1, 5, 6]);
        using var generator = new Generator(42);
        var output = Augmenter.Apply(batch, shift, flip, generator).data<float>().ToArray();
        return [.. Enumerable.Range(0, images).Select(i => output.AsSpan(i * 30, 30).ToArray())];
    }

    private static List<float[]> Candidates(int shift, bool flip) =>
    [
        .. from dx in Enumerable.Range(-shift, (2 * shift) + 1)
           from dy in Enumerable.Range(-shift, (2 * shift) + 1)
           from mirror in flip ? new[] { false, true } : [false]
           select Expected(Distinct(), dx, dy, mirror),
    ];

    [Fact]
    public void Every_augmented_image_is_an_exact_whole_pixel_shift_and_all_shifts_occur()
    {
        var candidates = Candidates(1, flip: false);
        var outputs = Augment(200, shift: 1, flip: false);
        var seen = outputs.Select(o => candidates.FindIndex(c => c.Zip(o).All(p => Math.Abs(p.First - p.Second) < 1e-4))).ToList();
        Assert.DoesNotContain(-1, seen);
        Assert.Equal(9, seen.Distinct().Count());
    }

    [Fact]
    public void Flips_mirror_the_image_and_happen_about_half_the_time()
    {
        var candidates = Candidates(1, flip: true);
        var outputs = Augment(200, shift: 1, flip: true);
        var seen = outputs.Select(o => candidates.FindIndex(c => c.Zip(o).All(p => Math.Abs(p.First - p.Second) < 1e-4))).ToList();
        Assert.DoesNotContain(-1, seen);
        Assert.InRange(seen.Count(i => i % 2 == 1), 70, 130);
    }

    [Fact]
    public void No_shift_and_no_flip_leave_the_batch_as_it_is()
    {
        var outputs = Augment(3, shift: 0, flip: false);
        Assert.All(outputs, o => Assert.Equal(Distinct().Cast<float>(), o));
    }

    [Fact]
    public void Images_are_resized_and_converted_to_the_model_shape_in_channel_major_order()
    {
        TorchRuntime.EnsureLoaded();
        // A 16x16 gray image: left half black, right half white.
        var pixels = Enumerable.Range(0, 256).Select(i => (byte)(i % 16 < 8 ? 0 : 255)).ToArray();
        var gray = new ImageItem("a.png", "x", 16, 16, 1, pixels);
        var rgb = new ImageItem("b.png", "x", 2, 1, 3, [255, 0, 0, 0, 0, 255]);

        var resized = ImagePixels.ToInputs([gray], 8, 8, 1);
        Assert.Equal(64, resized.Length);
        Assert.All(Enumerable.Range(0, 64).Where(i => i % 8 < 3), i => Assert.Equal(0f, resized[i], 3));
        Assert.All(Enumerable.Range(0, 64).Where(i => i % 8 > 4), i => Assert.Equal(1f, resized[i], 3));

        Assert.Equal(Enumerable.Repeat(resized, 3).SelectMany(r => r), ImagePixels.ToInputs([gray], 8, 8, 3));
        Assert.Equal(new[] { 1f, 0f, 0f, 0f, 0f, 1f }, ImagePixels.ToInputs([rgb], 2, 1, 3));
        Assert.Equal(new[] { 0.299f, 0.114f }, ImagePixels.ToInputs([rgb], 2, 1, 1), new FloatTolerance(1e-5f));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
