namespace Ferry.Cli.Tests;

/// <summary>
/// A fact that needs the local S3 server named by FERRY_TEST_S3 (scripts/s3-test-server; scripts/test starts it).
/// It is skipped only when FERRY_SKIP_S3=1 says so; otherwise a missing server fails the test with instructions.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FERRY_SKIP_S3") == "1" && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("FERRY_TEST_S3")))
        {
            Skip = "FERRY_SKIP_S3=1: S3 tests skipped (start a server with scripts/s3-test-server to run them)";
        }
    }

    /// <summary>The server's URL, or a failed test saying how to start one.</summary>
    public static string Url => Environment.GetEnvironmentVariable("FERRY_TEST_S3") is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException("FERRY_TEST_S3 is not set: run `export \"$(scripts/s3-test-server)\"` from the repository root, or set FERRY_SKIP_S3=1 to skip S3 tests");
}
