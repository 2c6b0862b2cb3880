namespace Ferry.Tracking.Artifacts;

/// <summary>How to reach an S3-compatible server; everything is optional for Amazon S3 itself.</summary>
public sealed class S3ArtifactStoreOptions
{
    /// <summary>The smallest part S3 accepts in a multipart upload (except the last).</summary>
    public const int MinPartSize = 5 * 1024 * 1024;

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
}
