using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Ferry.Tracking.Artifacts;

/// <summary>
/// Keeps artifacts as objects under a key prefix of an S3 bucket (Amazon S3 or a compatible server).
/// Uploads stream in parts of <see cref="S3ArtifactStoreOptions.PartSize"/>, so at most one part is in
/// memory; folders are key prefixes, listed with the <c>/</c> delimiter.
/// </summary>
public sealed class S3ArtifactStore : IArtifactStore
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly int _partSize;

    /// <summary>Opens a store at <paramref name="uri"/>, for example <c>s3://bucket/experiments/1</c>.</summary>
    /// <param name="uri">An <c>s3://bucket[/prefix]</c> URI.</param>
    /// <param name="options">How to reach the server; <see langword="null"/> for Amazon S3 with the standard credentials.</param>
    /// <exception cref="FerryException">Code <c>ARTIFACT_URI_INVALID</c> for a URI that names no bucket or has a malformed prefix.</exception>
    public S3ArtifactStore(string uri, S3ArtifactStoreOptions? options = null)
    {
        options ??= new S3ArtifactStoreOptions();
        (_bucket, _prefix) = ParseUri(uri);
        if (options.PartSize < S3ArtifactStoreOptions.MinPartSize)
        {
            throw FerryException.Usage("ARTIFACT_URI_INVALID", $"S3 part size {options.PartSize} is below S3's minimum of {S3ArtifactStoreOptions.MinPartSize} bytes");
        }

        _partSize = options.PartSize;
        try
        {
            _client = CreateClient(options);
        }
        catch (AmazonClientException e)
        {
            throw FerryException.Usage("S3_NOT_CONFIGURED", $"cannot set up S3 for '{uri}': {e.Message}; set a region (AWS_REGION or the region option) or a service URL for an S3-compatible server");
        }
    }

    /// <summary>How many keys one list request asks for; <see langword="null"/> for the server's default (1,000). Tests lower it to exercise paging.</summary>
    internal int? ListPageSize { get; set; }

    /// <summary>The bucket the artifacts are in.</summary>
    public string Bucket => _bucket;

    /// <summary>The key prefix under which the store's root lies, without a trailing slash; <c>""</c> for the bucket's root.</summary>
    public string Prefix => _prefix;

    /// <inheritdoc />
    public async Task UploadAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var key = Key(ArtifactPath.Normalize(path));
        await Translate(path, () => S3Upload.RunAsync(_client, _bucket, key, content, _partSize, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var relative = ArtifactPath.Normalize(path);
        try
        {
            var response = await _client.GetObjectAsync(_bucket, Key(relative), cancellationToken).ConfigureAwait(false);
            return new S3ReadStream(response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            throw FerryException.NotFound("RESOURCE_DOES_NOT_EXIST", $"artifact '{relative}' does not exist");
        }
        catch (AmazonS3Exception e)
        {
            throw Describe(relative, e);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException)
        {
            throw Unreachable(relative, e);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? folder, CancellationToken cancellationToken)
    {
        var relative = ArtifactPath.Normalize(folder, isFolder: true);
        var listPrefix = FolderPrefix(relative);
        var entries = new List<ArtifactEntry>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = listPrefix, Delimiter = "/", MaxKeys = ListPageSize };
        await Translate(relative, async () =>
        {
            do
            {
                var page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                foreach (var obj in page.S3Objects ?? [])
                {
                    // A key equal to the prefix is a "folder marker" some tools write; it is not a file.
                    if (obj.Key.Length > listPrefix.Length)
                    {
                        entries.Add(new ArtifactEntry(RelativePath(obj.Key), false, obj.Size ?? 0));
                    }
                }

                foreach (var commonPrefix in page.CommonPrefixes ?? [])
                {
                    entries.Add(new ArtifactEntry(RelativePath(commonPrefix.TrimEnd('/')), true, null));
                }

                request.ContinuationToken = page.NextContinuationToken;
            }
            while (!string.IsNullOrEmpty(request.ContinuationToken));
        }).ConfigureAwait(false);

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var relative = ArtifactPath.Normalize(path, isFolder: true);
        if (relative.Length == 0)
        {
            throw FerryException.Invalid("INVALID_PARAMETER_VALUE", "artifact path '' names the artifact root, which cannot be deleted; give a file or folder inside it");
        }

        await Translate(relative, async () =>
        {
            await _client.DeleteObjectAsync(_bucket, Key(relative), cancellationToken).ConfigureAwait(false);
            var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = FolderPrefix(relative), MaxKeys = ListPageSize };
            do
            {
                // Deleting while paging is safe: the continuation token is a position, not a snapshot.
                var page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                var keys = (page.S3Objects ?? []).Select(o => new KeyVersion { Key = o.Key }).ToList();
                if (keys.Count > 0)
                {
                    var result = await _client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = _bucket, Objects = keys, Quiet = true }, cancellationToken).ConfigureAwait(false);
                    if (result.DeleteErrors is { Count: > 0 } errors)
                    {
                        throw FerryException.Conflict("ARTIFACT_DELETE_FAILED", $"could not delete {errors.Count} object(s) under artifact folder '{relative}', first '{errors[0].Key}': {errors[0].Message}");
                    }
                }

                request.ContinuationToken = page.NextContinuationToken;
            }
            while (!string.IsNullOrEmpty(request.ContinuationToken));
        }).ConfigureAwait(false);
    }

    /// <summary>Releases the HTTP client.</summary>
    public void Dispose() => _client.Dispose();

    /// <summary>Splits <c>s3://bucket/prefix</c> into its bucket and normalised prefix.</summary>
    internal static (string Bucket, string Prefix) ParseUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        const string scheme = "s3://";
        if (!uri.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw FerryException.Usage("ARTIFACT_URI_INVALID", $"'{uri}' is not an S3 location; write s3://bucket/prefix");
        }

        var rest = uri[scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0)
        {
            throw FerryException.Usage("ARTIFACT_URI_INVALID", $"S3 location '{uri}' names no bucket; write s3://bucket/prefix");
        }

        var prefixText = slash < 0 ? "" : rest[(slash + 1)..];
        try
        {
            return (bucket, ArtifactPath.Normalize(prefixText, isFolder: true));
        }
        catch (FerryException e)
        {
            throw FerryException.Usage("ARTIFACT_URI_INVALID", $"S3 location '{uri}' has a malformed prefix: {e.Message}");
        }
    }

    private static AmazonS3Client CreateClient(S3ArtifactStoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Checksums on every request need aws-chunked trailers, which many S3-compatible servers reject.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl.ToString();
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        if (options.AccessKeyId is not null || options.SecretAccessKey is not null)
        {
            if (string.IsNullOrEmpty(options.AccessKeyId) || string.IsNullOrEmpty(options.SecretAccessKey))
            {
                throw FerryException.Usage("ARTIFACT_URI_INVALID", "S3 credentials need both an access key id and a secret access key");
            }

            AWSCredentials credentials = options.SessionToken is null
                ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
                : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);
            return new AmazonS3Client(credentials, config);
        }

        return new AmazonS3Client(config);
    }

    private string Key(string relative) => _prefix.Length == 0 ? relative : _prefix + "/" + relative;

    private string FolderPrefix(string relative)
    {
        var folderKey = relative.Length == 0 ? _prefix : Key(relative);
        return folderKey.Length == 0 ? "" : folderKey + "/";
    }

    private string RelativePath(string key) => _prefix.Length == 0 ? key : key[(_prefix.Length + 1)..];

    private async Task Translate(string path, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw Describe(path, e);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException)
        {
            throw Unreachable(path, e);
        }
    }

    // Missing credentials, a refused connection or a timeout: the store cannot be reached at all.
    private FerryException Unreachable(string path, Exception e) =>
        FerryException.Invalid("ARTIFACT_STORE_UNAVAILABLE", $"cannot reach S3 bucket '{_bucket}' for artifact '{path}': {e.Message}; check the service URL, network and credentials", inner: e);

    private FerryException Describe(string path, AmazonS3Exception e) => e.ErrorCode switch
    {
        "NoSuchBucket" => FerryException.NotFound("RESOURCE_DOES_NOT_EXIST", $"S3 bucket '{_bucket}' does not exist; create it or fix the artifact location"),
        "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" =>
            FerryException.Invalid("PERMISSION_DENIED", $"S3 refused access to artifact '{path}' in bucket '{_bucket}' ({e.ErrorCode}); check the credentials", inner: e),
        _ => FerryException.Invalid("ARTIFACT_STORE_ERROR", $"S3 failed on artifact '{path}' in bucket '{_bucket}': {e.ErrorCode} {e.Message}", inner: e),
    };
}
