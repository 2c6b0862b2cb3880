using System.Globalization;
using System.Text.Json;
using Ferry.Data.Schema;
using Ferry.Learn.Packaging;
using Ferry.Learn.Tabular;

namespace Ferry.Learn.Ensembles;

/// <summary>
/// The layout of an <c>ensemble</c> package: <c>members/0</c>, <c>members/1</c>, ... each a complete tabular package
/// of its own flavor (its featurizer, scaled or not, and its model); <c>ensemble.json</c> listing the members with
/// their weights; <c>reference.json</c>; and <c>model.json</c>, which hashes every file of every member, so one check
/// at open covers them all. Members load through the same <see cref="ModelFlavors"/> registry as the ensemble.
/// </summary>
public static class EnsemblePackage
{
    /// <summary>The flavor name in <c>model.json</c>.</summary>
    public const string FlavorName = "ensemble";

    /// <summary>The file listing the members.</summary>
    public const string MembersFile = "ensemble.json";

    /// <summary>The folder holding one sub-package per member.</summary>
    public const string MembersFolder = "members";

    /// <summary>The setting naming the members' learners, comma-separated (for people and listings).</summary>
    public const string MembersSetting = "members";

    private const int Version = 1;

    /// <summary>Writes <paramref name="predictor"/> as a package folder at <paramref name="target"/> (which must not exist).</summary>
    /// <param name="target">The package folder to create.</param>
    /// <param name="predictor">The ensemble; every member must be a <see cref="TabularPredictor"/> (as a search builds them).</param>
    /// <param name="training">Where the model came from (recorded in the ensemble and in each member).</param>
    /// <param name="reference">The reference profile of the ensemble's predictions, if built.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is left behind.</param>
    /// <exception cref="ArgumentException">A member is not a tabular predictor.</exception>
    public static Task<ModelManifest> WriteAsync(string target, EnsemblePredictor predictor, TrainingInfo training, ReferenceProfile? reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(training);
        var members = predictor.Members.Select(m => m.Predictor as TabularPredictor
            ?? throw new ArgumentException($"member {m.Learner} is a {m.Predictor.GetType().Name}; only tabular members can be packaged", nameof(predictor))).ToList();
        var settings = new Dictionary<string, string>
        {
            [TabularPackage.LearnerSetting] = EnsemblePredictor.LearnerName,
            [MembersSetting] = string.Join(",", predictor.Members.Select(m => m.Learner)),
        };
        if (predictor.Signature.Task == TaskKind.Binary)
        {
            settings[TabularPackage.ThresholdSetting] = predictor.Threshold.ToString("R", CultureInfo.InvariantCulture);
        }

        var document = new EnsembleDocument(Version, [.. predictor.Members.Select((m, i) =>
            new EnsembleEntry($"{MembersFolder}/{i.ToString(CultureInfo.InvariantCulture)}", m.Learner, members[i].Flavor, m.Weight, m.Trial))]);
        var manifest = new ModelManifest(0, FlavorName, EnsemblePredictor.LearnerName, predictor.Signature, new Dictionary<string, string>(), training, settings);
        return ModelPackageWriter.WriteAsync(target, manifest, async (folder, ct) =>
        {
            for (var i = 0; i < members.Count; i++)
            {
                await TabularPackage.WriteAsync(Path.Combine(folder, document.Members[i].Path), members[i], training, null, ct);
            }

            await using (var stream = File.Create(Path.Combine(folder, MembersFile)))
            {
                await JsonSerializer.SerializeAsync(stream, document, FerryJson.Indented, ct);
            }

            if (reference is not null)
            {
                await reference.SaveAsync(Path.Combine(folder, ReferenceProfile.FileName), ct);
            }
        }, cancellationToken);
    }

    /// <summary>Loads a verified ensemble package, each member with the runtime of its flavor from <paramref name="flavors"/>.</summary>
    /// <exception cref="FerryException">PACKAGE_INVALID when the member list is missing or malformed, a member is missing, is
    /// itself an ensemble, has no runtime, or predicts another task or classes; whatever a member's runtime refuses.</exception>
    public static async Task<EnsemblePredictor> LoadAsync(ModelPackage package, ModelFlavors flavors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(flavors);
        var document = await ReadDocumentAsync(package, cancellationToken);
        var threshold = 0.5;
        if (package.Manifest.Settings?.TryGetValue(TabularPackage.ThresholdSetting, out var text) == true
            && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold))
        {
            throw ModelPackage.Invalid(package.Source, $"its threshold setting '{text}' is not a number");
        }

        var members = new List<EnsembleMember>();
        try
        {
            foreach (var entry in document.Members)
            {
                members.Add(await LoadMemberAsync(package, flavors, entry, cancellationToken));
            }

            return new EnsemblePredictor(members, package.Manifest.Signature, threshold);
        }
        catch
        {
            foreach (var member in members)
            {
                member.Predictor.Dispose();
            }

            throw;
        }
    }

    private static async Task<EnsembleDocument> ReadDocumentAsync(ModelPackage package, CancellationToken cancellationToken)
    {
        EnsembleDocument? document;
        try
        {
            await using var stream = File.OpenRead(package.PathOf(MembersFile));
            document = await JsonSerializer.DeserializeAsync<EnsembleDocument>(stream, FerryJson.Compact, cancellationToken);
        }
        catch (JsonException e)
        {
            throw ModelPackage.Invalid(package.Source, $"its {MembersFile} is not valid ({e.Message})");
        }

        if (document?.Members is not { Count: > 0 } entries || entries.Any(e => e is null || string.IsNullOrEmpty(e.Path)))
        {
            throw ModelPackage.Invalid(package.Source, $"its {MembersFile} lists no members");
        }

        return document.Version is < 1 or > Version
            ? throw ModelPackage.Invalid(package.Source, $"its {MembersFile} has version {document.Version}; this Ferry reads version {Version} (upgrade Ferry to load it)")
            : document;
    }

    private static async Task<EnsembleMember> LoadMemberAsync(ModelPackage package, ModelFlavors flavors, EnsembleEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Path.Split('/').Any(part => part is "" or "." or "..") || !(entry.Weight > 0) || !double.IsFinite(entry.Weight))
        {
            throw ModelPackage.Invalid(package.Source, $"its {MembersFile} lists member '{entry.Path}' with weight {entry.Weight}; paths stay inside the package and weights are positive");
        }

        // Listed in the ensemble's manifest, so the member's files were verified when the ensemble was opened.
        var folder = Path.GetDirectoryName(package.PathOf($"{entry.Path}/{ModelPackage.ManifestFile}"))!;
        using var memberPackage = await ModelPackage.OpenAsync(folder, cancellationToken);
        if (memberPackage.Manifest.Flavor == FlavorName)
        {
            throw ModelPackage.Invalid(package.Source, $"its member '{entry.Path}' is itself an ensemble; ensembles hold single models");
        }

        var predictor = await flavors.LoadPredictorAsync(memberPackage, cancellationToken);
        var signature = predictor.Signature;
        if (signature.Task != package.Manifest.Signature.Task || !signature.Classes.SequenceEqual(package.Manifest.Signature.Classes))
        {
            predictor.Dispose();
            throw ModelPackage.Invalid(package.Source, $"its member '{entry.Path}' predicts {signature.Task} with classes [{string.Join(", ", signature.Classes)}], not the ensemble's task and classes");
        }

        return new EnsembleMember(predictor, entry.Learner, entry.Weight, entry.Trial);
    }

    /// <summary><c>ensemble.json</c>.</summary>
    private sealed record EnsembleDocument(int Version, IReadOnlyList<EnsembleEntry> Members);

    /// <summary>One member: its sub-package folder, learner, flavor, weight and search trial.</summary>
    private sealed record EnsembleEntry(string Path, string Learner, string Flavor, double Weight, int? Trial);
}
