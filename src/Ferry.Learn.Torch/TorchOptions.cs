namespace Ferry.Learn.Torch;

/// <summary>How the TorchSharp learners use the machine.</summary>
/// <param name="Threads">
/// Intra-op threads libtorch may use. Default 1: a search runs one trial per core, so more threads per fit would
/// only oversubscribe the cores, and one thread makes every reduction run in the same order (bit-for-bit repeatable fits).
/// The setting is process-wide in libtorch; every fit applies it before training.
/// </param>
public sealed record TorchOptions(int Threads = 1)
{
    /// <summary>The defaults.</summary>
    public static TorchOptions Default { get; } = new();
}
