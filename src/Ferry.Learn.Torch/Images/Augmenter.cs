using Ferry.Learn.Torch.Training;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// Training-time augmentation of a batch of pixels: a random whole-pixel shift of up to <c>shift</c> pixels in each
/// direction and, when enabled, a random horizontal flip, drawn per image from the fit's generator. Whole-pixel
/// shifts and mirror flips land exactly on pixel centres, so no image is blurred; edges repeat the border pixels.
/// </summary>
internal static class Augmenter
{
    /// <summary>Returns the augmented batch (N, C, H, W); the input is unchanged.</summary>
    public static Tensor Apply(Tensor batch, int shift, bool flip, Generator generator)
    {
        if (shift <= 0 && !flip)
        {
            return batch;
        }

        var n = batch.shape[0];
        var (height, width) = (batch.shape[2], batch.shape[3]);
        var offsets = rand([n, 2], generator: generator).MulScalar((2 * shift) + 1).floor().AddScalar(-shift);
        var signs = flip ? rand([n], generator: generator).LtScalar(0.5).to_type(ScalarType.Float32).MulScalar(-2).AddScalar(1) : ones(n);
        var zero = zeros(n);

        // affine_grid maps output coordinates (in [-1, 1]) to input coordinates: x_in = sign * x_out + tx.
        // One pixel is 2 / size in those units.
        var theta = stack(
        [
            stack([signs, zero, offsets[.., 0].MulScalar(2.0 / width)], 1),
            stack([zero, ones(n), offsets[.., 1].MulScalar(2.0 / height)], 1),
        ], 1);
        var grid = nn.functional.affine_grid(theta, [n, batch.shape[1], height, width], align_corners: false);
        return nn.functional.grid_sample(batch, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
    }
}
