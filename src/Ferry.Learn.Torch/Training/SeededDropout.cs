using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Training;

/// <summary>Inverted dropout with masks from a given generator (libtorch's own dropout takes no generator).</summary>
internal static class SeededDropout
{
    /// <summary>Zeroes each value with probability <paramref name="rate"/> and scales the rest by 1 / (1 - rate).</summary>
    public static Tensor Apply(Tensor x, double rate, Generator? generator)
    {
        var keep = rand(x.shape, generator: generator).GeScalar(rate).to_type(x.dtype);
        return (x * keep).DivScalar(1 - rate);
    }
}
