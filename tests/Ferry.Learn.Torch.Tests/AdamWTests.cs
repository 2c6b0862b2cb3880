using Ferry.Learn.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Tests;

/// <summary>Ferry's AdamW takes the very steps <c>torch.optim.AdamW</c> takes, so replacing it changed no fit.</summary>
public sealed class AdamWTests
{
    [Theory]
    [InlineData(0.01, 0.0)]
    [InlineData(0.003, 0.05)]
    public void Twenty_steps_match_torch_adamw_bit_for_bit(double learningRate, double weightDecay)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var ours = Network(seed: 3);
        using var theirs = Network(seed: 3);
        using var adam = new AdamW(ours.parameters(), learningRate, weightDecay);
        using var reference = optim.AdamW(theirs.parameters(), learningRate, weight_decay: weightDecay);
        var generator = new Generator(7);

        for (var step = 0; step < 20; step++)
        {
            var x = randn([16, 4], generator: generator);
            var y = randn([16, 1], generator: generator);

            adam.ZeroGrad();
            nn.functional.mse_loss(ours.forward(x), y).backward();
            adam.Step();

            reference.zero_grad();
            nn.functional.mse_loss(theirs.forward(x), y).backward();
            reference.step();
        }

        var changed = false;
        foreach (var ((name, mine), (_, torchs)) in ours.named_parameters().Zip(theirs.named_parameters()))
        {
            Assert.Equal(torchs.data<float>().ToArray(), mine.data<float>().ToArray());
            changed |= !mine.data<float>().ToArray().SequenceEqual(Network(seed: 3).named_parameters().First(p => p.name == name).parameter.data<float>().ToArray());
        }

        Assert.True(changed, "the steps moved no parameter");
    }

    [Fact]
    public void Parameters_without_a_gradient_are_left_alone()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var network = Network(seed: 5);
        var before = network.parameters().Select(p => p.data<float>().ToArray()).ToList();
        using var adam = new AdamW(network.parameters(), 0.1, 0.5);

        adam.Step();

        Assert.Equal(before, network.parameters().Select(p => p.data<float>().ToArray()));
    }

    private static nn.Module<Tensor, Tensor> Network(int seed)
    {
        manual_seed(seed);
        return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1));
    }
}
