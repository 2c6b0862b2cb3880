namespace Ferry.Hosting.Tests;

/// <summary>Where the recorded MLflow traffic is: copied into the test project (Golden/), so replay needs nothing outside the repository.</summary>
internal static class GoldenTraffic
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Golden");
}
