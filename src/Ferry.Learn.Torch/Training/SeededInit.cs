using TorchSharp;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Training;

/// <summary>
/// Initialises a network's weights from a private generator rather than libtorch's process-wide one, so fits that
/// run in parallel (one per trial) each stay repeatable from their own seed.
/// </summary>
internal static class SeededInit
{
    /// <summary>
    /// He-uniform weights (suited to ReLU) for every weight with a fan-in, the last one (the output layer) with the
    /// smaller LeCun bound so the first logits are small; biases start at zero.
    /// </summary>
    public static void Apply(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        var parameters = module.named_parameters().ToList();
        var lastWeight = parameters.FindLastIndex(p => p.name.EndsWith("weight", StringComparison.Ordinal) && p.parameter.dim() >= 2);
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i].parameter;
            if (parameter.dim() < 2)
            {
                parameter.zero_();
                continue;
            }

            var fanIn = parameter.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            var bound = i == lastWeight ? Math.Sqrt(1.0 / fanIn) : Math.Sqrt(6.0 / fanIn);
            // Tensor.uniform_ honours the generator; nn.init.uniform_ in TorchSharp 0.107 ignores it.
            parameter.uniform_(-bound, bound, generator);
        }
    }
}
