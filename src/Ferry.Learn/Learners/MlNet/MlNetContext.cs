using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>
/// Creates ML.NET contexts. A context is not thread-safe, so every fit and every loaded model gets its own.
/// The tree libraries are registered so that a model saved in one process loads in a fresh one.
/// </summary>
internal static class MlNetContext
{
    /// <summary>A new context seeded with <paramref name="seed"/>.</summary>
    public static MLContext Create(int? seed)
    {
        var ml = new MLContext(seed);
        ml.ComponentCatalog.RegisterAssembly(typeof(LightGbmBinaryModelParameters).Assembly);
        ml.ComponentCatalog.RegisterAssembly(typeof(FastTreeBinaryModelParameters).Assembly);
        return ml;
    }

    /// <summary>
    /// Asks a running fit to stop; trainers check between iterations and throw <see cref="OperationCanceledException"/>.
    /// ML.NET keeps this method internal (its Experimental package exposes it), so it is found by reflection; without
    /// it a cancelled fit runs to its end and the result is discarded.
    /// </summary>
    public static void Cancel(MLContext ml) => CancelMethod?.Invoke(ml, null);

    private static readonly System.Reflection.MethodInfo? CancelMethod = typeof(MLContext).GetMethod(
        "CancelExecution", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, []);

    /// <summary>The library versions recorded in a package's training info.</summary>
    public static IReadOnlyDictionary<string, string> Libraries { get; } = new Dictionary<string, string>
    {
        ["Microsoft.ML"] = VersionOf(typeof(MLContext)),
        ["Microsoft.ML.FastTree"] = VersionOf(typeof(FastTreeBinaryModelParameters)),
        ["Microsoft.ML.LightGbm"] = VersionOf(typeof(LightGbmBinaryModelParameters)),
    };

    private static string VersionOf(Type type)
    {
        var assembly = type.Assembly;
        var informational = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
