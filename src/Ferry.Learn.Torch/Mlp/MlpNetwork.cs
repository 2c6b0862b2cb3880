using TorchSharp;
using Ferry.Learn.Torch.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Mlp;

/// <summary>
/// A feed-forward network: linear layers with ReLU and dropout between them. Dropout draws its masks from a
/// generator the fit owns, not from libtorch's process-wide one, so parallel fits stay repeatable.
/// </summary>
internal sealed class MlpNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;
    private readonly double _dropout;

    public MlpNetwork(MlpArchitecture architecture) : base("mlp")
    {
        int[] sizes = [architecture.Inputs, .. architecture.Hidden, architecture.Outputs];
        layers = new ModuleList<Linear>([.. Enumerable.Range(0, sizes.Length - 1).Select(i => nn.Linear(sizes[i], sizes[i + 1]))]);
        _dropout = architecture.Dropout;
        RegisterComponents();
    }

    /// <summary>Draws dropout masks while training; null outside a fit.</summary>
    public Generator? DropoutGenerator { get; set; }

    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (var i = 0; i < layers.Count - 1; i++)
        {
            x = nn.functional.relu(layers[i].forward(x));
            if (training && _dropout > 0)
            {
                x = SeededDropout.Apply(x, _dropout, DropoutGenerator);
            }
        }

        return layers[layers.Count - 1].forward(x);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            layers.Dispose();
        }

        base.Dispose(disposing);
    }
}
