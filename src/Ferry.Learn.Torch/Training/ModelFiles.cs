using System.Text.Json;
using TorchSharp;

namespace Ferry.Learn.Torch.Training;

/// <summary>Reads the files a TorchSharp model was saved as, turning every failure into one clear error.</summary>
internal static class ModelFiles
{
    /// <summary>Reads and deserialises a JSON file of the model folder.</summary>
    public static async Task<T> ReadJsonAsync<T>(string folder, string file, string learner, CancellationToken cancellationToken)
        where T : class
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            throw Invalid(folder, $"it has no {file}; is it a saved {learner} model?");
        }

        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<T>(stream, FerryJson.Compact, cancellationToken)
                ?? throw Invalid(folder, $"its {file} is empty");
        }
        catch (JsonException e)
        {
            throw Invalid(folder, $"its {file} is not valid ({e.Message})");
        }
    }

    /// <summary>Builds a network, loads its weights and puts it in evaluation mode; disposes it when the files do not fit.</summary>
    public static TNetwork LoadNetwork<TNetwork>(Func<TNetwork> build, string folder, string file)
        where TNetwork : torch.nn.Module
    {
        TorchRuntime.EnsureLoaded();
        var network = build();
        try
        {
            LoadWeights(network, folder, file);
            network.eval();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Loads weights into a freshly built network; the names and shapes must match exactly.</summary>
    public static void LoadWeights(torch.nn.Module module, string folder, string file)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            throw Invalid(folder, $"it has no {file}");
        }

        try
        {
            module.load(path, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or System.Runtime.InteropServices.ExternalException or FormatException)
        {
            throw Invalid(folder, $"its {file} does not fit the saved architecture ({e.Message})");
        }
    }

    /// <summary>The error for a model folder that cannot be loaded.</summary>
    public static FerryException Invalid(string folder, string problem) =>
        FerryException.Invalid("MODEL_FILES_INVALID", $"the model in '{folder}' cannot be loaded: {problem}");
}
