namespace Ferry.Learn.Packaging;

/// <summary>A model runtime: turns a verified package of its flavor into a predictor.</summary>
public interface IModelFlavor
{
    /// <summary>The flavor name written in <c>model.json</c> (<c>mlnet</c>, <c>torch</c>, <c>onnx</c>).</summary>
    string Name { get; }

    /// <summary>Loads the package's model. The package's files are already verified against their hashes.</summary>
    /// <param name="package">The opened package.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    Task<IPredictor> LoadAsync(ModelPackage package, CancellationToken cancellationToken);
}
