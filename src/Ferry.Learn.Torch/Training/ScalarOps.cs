using TorchSharp;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Training;

/// <summary>
/// Tensor-and-number arithmetic that keeps its Scalar alive through the native call. TorchSharp turns a number into
/// a Scalar implicitly (<c>x * 2.0</c>, <c>x.clamp(0, 1)</c>) and leaves it to the finalizer; nothing references it
/// once its handle is read, so a garbage collection during the call can free it while libtorch still reads it
/// ("Expected false to be true … toFloat", or a wrong number). Each method here disposes its Scalar after the call.
/// <c>ImplicitScalarTests</c> checks that Ferry makes no Scalar any other way.
/// </summary>
internal static class ScalarOps
{
    /// <summary><paramref name="x"/> times <paramref name="factor"/>.</summary>
    public static Tensor MulScalar(this Tensor x, double factor) => With(factor, x.mul);

    /// <summary><paramref name="x"/> divided by <paramref name="divisor"/>.</summary>
    public static Tensor DivScalar(this Tensor x, double divisor) => With(divisor, s => x.div(s));

    /// <summary><paramref name="x"/> plus <paramref name="term"/> (with an explicit alpha: add(Scalar) makes its own).</summary>
    public static Tensor AddScalar(this Tensor x, double term) => With(term, s => With(1, one => x.add(s, one)));

    /// <summary><paramref name="x"/> to the power <paramref name="exponent"/>.</summary>
    public static Tensor PowScalar(this Tensor x, double exponent) => With(exponent, x.pow);

    /// <summary><paramref name="x"/> limited to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor ClampScalar(this Tensor x, double min, double max) => With(min, low => With(max, high => x.clamp(low, high)));

    /// <summary><paramref name="x"/> limited from below by <paramref name="min"/>.</summary>
    public static Tensor ClampMinScalar(this Tensor x, double min) => With(min, x.clamp_min);

    /// <summary>Whether each value is at least <paramref name="threshold"/>.</summary>
    public static Tensor GeScalar(this Tensor x, double threshold) => With(threshold, x.ge);

    /// <summary>Whether each value is below <paramref name="threshold"/>.</summary>
    public static Tensor LtScalar(this Tensor x, double threshold) => With(threshold, x.lt);

    /// <summary>Runs <paramref name="operation"/> with <paramref name="value"/> as a Scalar disposed after it, which keeps it alive through it.</summary>
    private static Tensor With(double value, Func<Scalar, Tensor> operation)
    {
        using var scalar = value.ToScalar();
        return operation(scalar);
    }
}
