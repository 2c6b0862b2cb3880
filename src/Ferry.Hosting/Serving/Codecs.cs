using System.Runtime.CompilerServices;
using Ferry.Serving;
using Ferry.Serving.Protocols;

namespace Ferry.Hosting.Serving;

/// <summary>
/// Each loaded version's codecs, built once from its signature (lookups of columns and categories) and dropped with
/// the version, so a request pays only for decoding its own body.
/// </summary>
internal sealed class Codecs(InputPolicy policy)
{
    private readonly ConditionalWeakTable<Servable, Set> _sets = [];

    public OpenInferenceCodec OpenInference(Servable servable) => Of(servable).OpenInference.Value;

    public PredictCodec Predict(Servable servable) => Of(servable).Predict.Value;

    public MlflowCodec Mlflow(Servable servable) => Of(servable).Mlflow.Value;

    private Set Of(Servable servable) => _sets.GetValue(servable, s => new Set(s, policy));

    private sealed class Set(Servable servable, InputPolicy policy)
    {
        public Lazy<OpenInferenceCodec> OpenInference { get; } = new(() => new OpenInferenceCodec(servable.Signature, policy));

        public Lazy<PredictCodec> Predict { get; } = new(() => new PredictCodec(servable.Signature, policy));

        public Lazy<MlflowCodec> Mlflow { get; } = new(() => new MlflowCodec(servable.Signature, policy));
    }
}
