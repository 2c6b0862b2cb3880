namespace Ferry.Tracking.Artifacts;

/// <summary>How to reach an S3-compatible server; everything is optional for Amazon S3 itself.</summary>
public sealed class S3ArtifactStoreOptions
{
    /// <summary>The smallest part S3 accepts in a multipart upload (except the last).</summary>
    public const int MinPartSize = 5 * 1024 * 1024;

    /// <summary>Where an S3-compatible server's URL may be set, first match wins: MLflow's variable, then the AWS SDKs' own.</summary>
    private static readonly string[] EndpointVariables = ["MLFLOW_S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"];

    /// <summary>The server's URL for S3-compatible servers (MinIO, s3rver, Ceph); <see langword="null"/> (the default) for Amazon S3.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public Uri? ServiceUrl { get; init; }

    /// <summary>Whether to address buckets as <c>host/bucket/key</c> instead of <c>bucket.host/key</c>; most self-hosted servers need it.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool ForcePathStyle { get; init; }

    /// <summary>The region, for example <c>eu-west-1</c>; <see langword="null"/> uses the SDK's usual lookup (<c>AWS_REGION</c>, profile), or <c>us-east-1</c> with a service URL.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? Region { get; init; }

    /// <summary>The access key id; with <see cref="SecretAccessKey"/>. When both are <see langword="null"/>, the SDK's standard chain is used (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, profiles, instance roles).</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? AccessKeyId { get; init; }

    /// <summary>The secret access key that goes with <see cref="AccessKeyId"/>.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? SecretAccessKey { get; init; }

    /// <summary>A session token for temporary credentials, if any.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? SessionToken { get; init; }

    /// <summary>
    /// The size of each part of an upload, which is also the most memory one upload holds: content up to
    /// this size is sent in one request, larger content as a multipart upload of parts this size.
    /// </summary>
    /// <value>Default 8 MiB; at least <see cref="MinPartSize"/>.</value>
    public int PartSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// Options from the environment variables MLflow and the AWS tools read: the endpoint of an S3-compatible
    /// server from <c>MLFLOW_S3_ENDPOINT_URL</c>, <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c> (path-style
    /// addressing then, as self-hosted servers need), the region from <c>AWS_REGION</c> or <c>AWS_DEFAULT_REGION</c>,
    /// and keys from <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and <c>AWS_SESSION_TOKEN</c>.
    /// Without keys the SDK's standard chain (profiles, instance roles) applies.
    /// </summary>
    /// <param name="environment">Looks up one variable; <see langword="null"/> or empty when unset.</param>
    /// <exception cref="FerryException">Usage error <c>ARTIFACT_URI_INVALID</c> when the endpoint is not an absolute http(s) URL.</exception>
    public static S3ArtifactStoreOptions FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) => environment(name) is { Length: > 0 } value ? value : null;
        var endpointVariable = EndpointVariables.FirstOrDefault(name => Get(name) is not null);
        Uri? endpoint = null;
        if (endpointVariable is not null)
        {
            var text = Get(endpointVariable)!;
            if (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https"))
            {
                throw FerryException.Usage("ARTIFACT_URI_INVALID", $"{endpointVariable}='{text}' is not an http(s) URL; write it as http://host:port");
            }
        }

        return new S3ArtifactStoreOptions
        {
            ServiceUrl = endpoint,
            ForcePathStyle = endpoint is not null,
            Region = Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION"),
            AccessKeyId = Get("AWS_ACCESS_KEY_ID"),
            SecretAccessKey = Get("AWS_SECRET_ACCESS_KEY"),
            SessionToken = Get("AWS_SESSION_TOKEN"),
        };
    }
}
