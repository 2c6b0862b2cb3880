using Ferry.Data.Tables;
using Ferry.Learn;
using Ferry.Learn.Packaging;

namespace Ferry.Serving.Tests.Batching;

/// <summary>Helpers shared by the batching tests: real predictors, single rows and a guard against hangs.</summary>
internal static class Batches
{
    /// <summary>Loads the package's predictor as the server would.</summary>
    public static Task<IPredictor> LoadAsync(ServingPackage package) =>
        ModelFlavors.Builtin.LoadPredictorAsync(package.Path, CancellationToken.None);

    /// <summary>Row <paramref name="index"/> of <paramref name="table"/> as a one-row request.</summary>
    public static Table Row(Table table, int index) => table.SelectRows([index]);

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>.</summary>
    public static Table Rows(Table table, int start, int count) => table.SelectRows([.. Enumerable.Range(start, count)]);

    /// <summary>
    /// The task's result, failing the test instead of hanging if it never completes. The fake clock drives every window
    /// and timeout; this real-time bound only turns a bug's deadlock into a failure.
    /// </summary>
    public static Task<T> Soon<T>(Task<T> task) => task.WaitAsync(TimeSpan.FromMinutes(2));

    /// <summary>Asserts that <paramref name="actual"/> equals rows <paramref name="start"/>.. of <paramref name="expected"/>.</summary>
    public static void AssertSame(Predictions expected, int start, Predictions actual)
    {
        Assert.Equal(expected.Task, actual.Task);
        Assert.Equal(expected.Classes, actual.Classes);
        for (var i = 0; i < actual.Count; i++)
        {
            if (expected.Values is { } values)
            {
                Assert.Equal(values[start + i], actual.Values![i]);
            }
            else
            {
                Assert.Equal(expected.Labels![start + i], actual.Labels![i]);
                Assert.Equal(expected.Probabilities![start + i], actual.Probabilities![i]);
            }
        }
    }

    /// <summary>Asserts that <paramref name="call"/> failed with a <see cref="FerryException"/> of <paramref name="code"/>.</summary>
    public static async Task<FerryException> AssertFailsAsync(Task call, string code)
    {
        var error = await Assert.ThrowsAsync<FerryException>(() => call.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal(code, error.Code);
        return error;
    }
}
