using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter, decoupled weight decay) computed as <c>torch.optim.AdamW</c> computes it, with its
/// default betas and epsilon and no AMSGrad. Ferry has its own because TorchSharp's step makes every constant an
/// implicit Scalar, which a garbage collection can free while libtorch reads it (see <see cref="ScalarOps"/>); under
/// load that failed fits with "Expected false to be true … toFloat". Here each Scalar is disposed after the step.
/// </summary>
internal sealed class AdamW : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _averages;
    private readonly Tensor[] _squaredAverages;
    private readonly double _learningRate;
    private readonly double _weightDecay;
    private long _steps;

    /// <summary>Starts with zero moments for each of <paramref name="parameters"/>.</summary>
    public AdamW(IEnumerable<Parameter> parameters, double learningRate, double weightDecay)
    {
        _parameters = [.. parameters];
        _learningRate = learningRate;
        _weightDecay = weightDecay;
        using var noGrad = no_grad();
        _averages = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _squaredAverages = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
    }

    /// <summary>Zeroes the parameters' gradients before the next backward pass.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        _steps++;
        using var noGrad = no_grad();
        using var decay = (1 - (_learningRate * _weightDecay)).ToScalar();
        using var beta1 = Beta1.ToScalar();
        using var rest1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var rest2 = (1 - Beta2).ToScalar();
        using var correction2 = Math.Sqrt(1 - Math.Pow(Beta2, _steps)).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var one = 1.ToScalar();
        using var stepSize = (-_learningRate / (1 - Math.Pow(Beta1, _steps))).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var grad = _parameters[i].grad;
            if (grad is null)
            {
                continue;
            }

            _parameters[i].mul_(decay);
            _averages[i].mul_(beta1).add_(grad, alpha: rest1);
            _squaredAverages[i].mul_(beta2).addcmul_(grad, grad, value: rest2);
            using var root = _squaredAverages[i].sqrt();
            using var denominator = root.div(correction2).add_(epsilon, one);
            _parameters[i].addcdiv_(_averages[i], denominator, value: stepSize);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var moment in _averages.Concat(_squaredAverages))
        {
            moment.Dispose();
        }
    }
}
