using TorchSharp;

namespace Ferry.Learn.Torch.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Backward()
    {
        using var lin = torch.nn.Linear(3, 2);
        using var x = torch.randn(4, 3);
        using var y = lin.forward(x).sum();
        y.backward();
        Assert.NotNull(lin.weight!.grad);
    }
}
