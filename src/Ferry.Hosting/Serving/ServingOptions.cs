using Ferry.Learn.Packaging;
using Ferry.Serving.Batching;
using Ferry.Serving.Management;
using Ferry.Serving.Protocols;
using Ferry.Serving.Sources;

namespace Ferry.Hosting.Serving;

/// <summary>What the server serves and how: the model source, loading, limits, the prediction log and API keys.</summary>
public sealed record ServingOptions
{
    /// <summary>The flavors packages load with (the CLI adds TorchSharp and ONNX Runtime to the built-in ones).</summary>
    public ModelFlavors Flavors { get; init; } = ModelFlavors.Builtin;

    /// <summary>A folder of models (<c>NAME/VERSION/</c>) to serve instead of the registry; null serves the registry.</summary>
    public string? ModelsFolder { get; init; }

    /// <summary>Only these registered models (empty: all of them).</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>The registry alias whose version takes a model's traffic. Default <c>champion</c>.</summary>
    public string Alias { get; init; } = DeploymentTags.Champion;

    /// <summary>How many of each model's highest versions stay loaded, addressable by number (the routed one besides). Default 1.</summary>
    public int KeepLatest { get; init; } = 1;

    /// <summary>Polling, loading, warm-up and draining.</summary>
    public ManagerOptions Manager { get; init; } = new();

    /// <summary>Dynamic batching per version (on by default) and the per-request timeout, which applies with batching off too.</summary>
    public BatchingOptions Batching { get; init; } = new();

    /// <summary>How inputs are checked against each version's signature (unknown categories, extra fields, missing values, rows per request).</summary>
    public InputPolicy Input { get; init; } = InputPolicy.Default;

    /// <summary>Largest request body. Default 8 MiB.</summary>
    public long MaxRequestBodyBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>Whether every request is logged (id, model, version, status, milliseconds) as well as model loads. Default off.</summary>
    public bool LogRequests { get; init; }

    /// <summary>Share of requests written to the prediction log (0 to 1). Default 1: all.</summary>
    public double PredictionLogSampleRate { get; init; } = 1.0;

    /// <summary>Keys that may call inference endpoints (empty, with no management keys either: no key needed).</summary>
    public IReadOnlyList<string> InferenceKeys { get; init; } = [];

    /// <summary>Keys that may call management endpoints (model repository, feedback) and inference ones.</summary>
    public IReadOnlyList<string> ManagementKeys { get; init; } = [];

    /// <summary>Throws a usage error naming the first setting out of range.</summary>
    public void Validate()
    {
        Manager.Validate();
        Batching.Validate();
        if (KeepLatest is < 1 or > 100)
        {
            throw FerryException.Usage("SERVING_OPTION_INVALID", $"keep-latest is {KeepLatest}; give 1 to 100 versions");
        }

        if (MaxRequestBodyBytes < 1)
        {
            throw FerryException.Usage("SERVING_OPTION_INVALID", $"the request body limit is {MaxRequestBodyBytes} bytes; give a positive size");
        }

        if (PredictionLogSampleRate is < 0 or > 1 || double.IsNaN(PredictionLogSampleRate))
        {
            throw FerryException.Usage("SERVING_OPTION_INVALID", $"the prediction log sample rate is {PredictionLogSampleRate}; give a share from 0 to 1");
        }

        if (InferenceKeys.Concat(ManagementKeys).Any(k => k.Length < 16))
        {
            throw FerryException.Usage("SERVING_OPTION_INVALID", "an API key is shorter than 16 characters; use long random keys (for example `openssl rand -hex 24`)");
        }
    }
}
