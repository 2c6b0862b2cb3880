namespace Ferry.Learn.Search;

/// <summary>The size of a trial's model, as the search records it: what a package of it would weigh.</summary>
internal static class ModelSize
{
    /// <summary>Saves the model with <paramref name="save"/> into a temporary folder and adds up the files' sizes.</summary>
    public static async Task<long> MeasureAsync(Func<string, CancellationToken, Task> save, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(save);
        var folder = Directory.CreateTempSubdirectory("ferry-trial-");
        try
        {
            await save(folder.FullName, cancellationToken);
            return folder.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
