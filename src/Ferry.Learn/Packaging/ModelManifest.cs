namespace Ferry.Learn.Packaging;

/// <summary>
/// <c>model.json</c>: what a model package holds and how to load it. Every other file of the package is listed
/// in <see cref="Files"/> with its SHA-256, so a package that was changed or truncated is refused at load.
/// </summary>
/// <param name="FormatVersion">The package layout version; a reader refuses versions newer than <see cref="ModelPackage.FormatVersion"/>.</param>
/// <param name="Flavor">Which runtime loads it: <c>mlnet</c>, <c>torch</c> or <c>onnx</c>.</param>
/// <param name="Learner">The learner that produced it, for example <c>lightgbm</c> or <c>mlp</c>.</param>
/// <param name="Signature">Inputs, task, label and classes.</param>
/// <param name="Files">Every file of the package except <c>model.json</c>, by relative path, with its SHA-256 (lower-case hex).</param>
/// <param name="Training">Where it came from: run, dataset version, seed, versions.</param>
/// <param name="Settings">Flavor-specific settings the runtime needs to rebuild the model (for example layer sizes or the decision threshold).</param>
public sealed record ModelManifest(
    int FormatVersion,
    string Flavor,
    string Learner,
    ModelSignature Signature,
    IReadOnlyDictionary<string, string> Files,
    TrainingInfo Training,
    IReadOnlyDictionary<string, string>? Settings = null);

/// <summary>Training metadata recorded in a package: enough to trace it back to its run, data and code.</summary>
/// <param name="CreatedAt">When the package was written (UTC).</param>
/// <param name="FerryVersion">The Ferry version that trained it.</param>
/// <param name="RunId">The tracking run that produced it, if tracked.</param>
/// <param name="Dataset">The dataset version reference (<c>name@version</c> or a content hash), if known.</param>
/// <param name="Seed">The random seed used.</param>
/// <param name="Libraries">Versions of the ML libraries used, by package name (for example <c>Microsoft.ML</c>).</param>
public sealed record TrainingInfo(
    DateTimeOffset CreatedAt,
    string FerryVersion,
    string? RunId,
    string? Dataset,
    int Seed,
    IReadOnlyDictionary<string, string> Libraries);
