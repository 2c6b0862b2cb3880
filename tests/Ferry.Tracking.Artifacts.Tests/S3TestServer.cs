using Amazon.S3;

namespace Ferry.Tracking.Artifacts.Tests;

/// <summary>
/// The local S3 server the S3 tests run against, named by FERRY_TEST_S3 (printed by scripts/s3-test-server).
/// Without it the tests fail with instructions, unless FERRY_SKIP_S3=1 says to skip them.
/// </summary>
internal static class S3TestServer
{
    public const string Bucket = "ferry-test";

    private const string HowToStart =
        "The S3 artifact tests need a local S3 server: run `export \"$(scripts/s3-test-server)\"` from the repository root " +
        "(it sets FERRY_TEST_S3), then run the tests again and `scripts/s3-test-server stop` afterwards. " +
        "To skip these tests instead, set FERRY_SKIP_S3=1.";

    /// <summary>Why the S3 tests are skipped, or null when they run.</summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable("FERRY_SKIP_S3") == "1" && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("FERRY_TEST_S3"))
            ? "FERRY_SKIP_S3=1: S3 artifact tests skipped (start a server with scripts/s3-test-server to run them)"
            : null;

    /// <summary>The server's URL; fails the calling test with instructions when it is not set.</summary>
    public static Uri Url
    {
        get
        {
            var value = Environment.GetEnvironmentVariable("FERRY_TEST_S3");
            if (string.IsNullOrEmpty(value))
            {
                Assert.Fail("FERRY_TEST_S3 is not set. " + HowToStart);
            }

            return new Uri(value);
        }
    }

    /// <summary>Options for the test server: s3rver accepts any credentials and needs path-style addressing.</summary>
    public static S3ArtifactStoreOptions Options(int partSize = 8 * 1024 * 1024) => new()
    {
        ServiceUrl = Url,
        ForcePathStyle = true,
        AccessKeyId = "S3RVER",
        SecretAccessKey = "S3RVER",
        PartSize = partSize,
    };

    /// <summary>A raw SDK client on the test server, for checking what the store did.</summary>
    public static AmazonS3Client RawClient() => new(
        new Amazon.Runtime.BasicAWSCredentials("S3RVER", "S3RVER"),
        new AmazonS3Config
        {
            ServiceURL = Url.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        });
}
