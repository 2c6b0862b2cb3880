using Amazon.S3;
using Amazon.S3.Model;

namespace Ferry.Tracking.Artifacts;

/// <summary>
/// Streams one upload with a single part-sized buffer: content that fits in one part goes in one
/// PutObject, longer content as a multipart upload that is aborted if anything fails, so neither a
/// large file in memory nor a half-written object in the bucket is possible.
/// </summary>
/// <remarks>
/// Each part is in memory anyway, so it is signed whole instead of with aws-chunked streaming signatures,
/// which several S3-compatible servers (s3rver among them) store verbatim as part of the object.
/// </remarks>
internal static class S3Upload
{
    /// <summary>Uploads <paramref name="content"/> to <paramref name="key"/>; returns the number of parts used (1 for a single PutObject).</summary>
    public static async Task<int> RunAsync(IAmazonS3 client, string bucket, string key, Stream content, int partSize, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(partSize);
        var filled = await FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
        if (filled < partSize)
        {
            using var body = new MemoryStream(buffer, 0, filled, writable: false);
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, AutoCloseStream = false, UseChunkEncoding = false }, cancellationToken).ConfigureAwait(false);
            return 1;
        }

        var start = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        var parts = new List<PartETag>();
        try
        {
            while (filled > 0)
            {
                using var body = new MemoryStream(buffer, 0, filled, writable: false);
                var part = await client.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = bucket,
                        Key = key,
                        UploadId = start.UploadId,
                        PartNumber = parts.Count + 1,
                        PartSize = filled,
                        InputStream = body,
                        UseChunkEncoding = false,
                    },
                    cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(parts.Count + 1, part.ETag));
                filled = await FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
            }

            await client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = start.UploadId, PartETags = parts },
                cancellationToken).ConfigureAwait(false);
            return parts.Count;
        }
        catch
        {
            // Best effort and not cancellable: an unaborted upload keeps its parts (and their cost) in the bucket.
            try
            {
                await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = start.UploadId }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AmazonS3Exception)
            {
                // The original failure is the one worth reporting.
            }

            throw;
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
