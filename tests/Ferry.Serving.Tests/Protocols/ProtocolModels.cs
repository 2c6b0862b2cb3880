using Ferry.Learn;
using Ferry.Learn.Packaging;

namespace Ferry.Serving.Tests.Protocols;

/// <summary>A real trained package opened as the server would: its manifest's signature and flavor, and its predictor.</summary>
/// <param name="Package">The package with its held-out rows.</param>
/// <param name="Signature">The manifest's signature.</param>
/// <param name="Flavor">The manifest's flavor.</param>
/// <param name="Predictor">The loaded predictor (thread-safe, shared by the tests of a run).</param>
internal sealed record ProtocolModel(ServingPackage Package, ModelSignature Signature, string Flavor, IPredictor Predictor)
{
    public static readonly ServableId Servable = new("served-model", 3);

    /// <summary>The predictions for the held-out rows, straight from the predictor.</summary>
    public Task<Predictions> PredictHeldOutAsync() => Predictor.PredictAsync(Package.TestRows, CancellationToken.None);
}

/// <summary>Opens each sample's package once per test run.</summary>
internal static class ProtocolModels
{
    private static readonly Dictionary<string, Task<ProtocolModel>> Cache = [];

    public static Task<ProtocolModel> GetAsync(string sample)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(sample, out var task))
            {
                task = Cache[sample] = OpenAsync(sample);
            }

            return task;
        }
    }

    private static async Task<ProtocolModel> OpenAsync(string sample)
    {
        var package = await ServingPackages.GetAsync(sample);
        string flavor;
        ModelSignature signature;
        using (var opened = await ModelPackage.OpenAsync(package.Path, CancellationToken.None))
        {
            signature = opened.Manifest.Signature;
            flavor = opened.Manifest.Flavor;
        }

        var predictor = await ModelFlavors.Builtin.LoadPredictorAsync(package.Path, CancellationToken.None);
        return new ProtocolModel(package, signature, flavor, predictor);
    }
}
