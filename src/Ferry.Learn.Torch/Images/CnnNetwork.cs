using Ferry.Learn.Torch.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// A small CNN: normalisation, 2-3 blocks of 3x3 convolution + ReLU + max-pool, average-pooling to at most 4x4,
/// then dense, ReLU, output. Takes pixels in [0, 1] (N, C, H, W) and normalises them itself, so input gradients
/// are in pixel units.
/// </summary>
internal sealed class CnnNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Conv2d> convolutions;
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly Tensor _mean;
    private readonly Tensor _std;
    private readonly bool[] _pools;
    private readonly long[] _pooled;
    private readonly double _dropout;

    public CnnNetwork(CnnArchitecture architecture) : base("cnn")
    {
        var blocks = new List<Conv2d>();
        _pools = new bool[architecture.Blocks];
        var (h, w, inChannels) = (architecture.Height, architecture.Width, architecture.Channels);
        for (var b = 0; b < architecture.Blocks; b++)
        {
            var outChannels = architecture.BaseChannels << b;
            blocks.Add(nn.Conv2d(inChannels, outChannels, kernel_size: 3, padding: 1));
            _pools[b] = h >= 2 && w >= 2;
            (h, w, inChannels) = _pools[b] ? (h / 2, w / 2, outChannels) : (h, w, outChannels);
        }

        _pooled = [Math.Min(h, CnnArchitecture.PooledSide), Math.Min(w, CnnArchitecture.PooledSide)];
        convolutions = new ModuleList<Conv2d>([.. blocks]);
        hidden = nn.Linear(inChannels * _pooled[0] * _pooled[1], architecture.Hidden);
        output = nn.Linear(architecture.Hidden, architecture.Classes.Length);
        _mean = tensor(architecture.Mean).reshape(1, architecture.Channels, 1, 1);
        _std = tensor(architecture.Std).reshape(1, architecture.Channels, 1, 1);
        _dropout = architecture.Dropout;
        RegisterComponents();
    }

    /// <summary>Draws dropout masks while training; null outside a fit.</summary>
    public Generator? DropoutGenerator { get; set; }

    public override Tensor forward(Tensor input)
    {
        var x = (input - _mean) / _std;
        for (var b = 0; b < convolutions.Count; b++)
        {
            x = nn.functional.relu(convolutions[b].forward(x));
            if (_pools[b])
            {
                x = nn.functional.max_pool2d(x, [2, 2]);
            }
        }

        x = nn.functional.adaptive_avg_pool2d(x, _pooled).flatten(1);
        x = nn.functional.relu(hidden.forward(Dropout(x)));
        return output.forward(Dropout(x));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            convolutions.Dispose();
            hidden.Dispose();
            output.Dispose();
            _mean.Dispose();
            _std.Dispose();
        }

        base.Dispose(disposing);
    }

    private Tensor Dropout(Tensor x) => training && _dropout > 0 ? SeededDropout.Apply(x, _dropout, DropoutGenerator) : x;
}
