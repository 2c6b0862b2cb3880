namespace Ferry.Learn.Torch;

/// <summary>Placeholder.</summary>
public static class TorchFlavor
{
    /// <summary>The flavor name.</summary>
    public const string FlavorName = "torch";
}
