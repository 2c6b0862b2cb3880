using System.Buffers;
using System.Net;

namespace Ferry.Tracking.Client.Remote;

/// <summary>
/// An upload body streamed from the caller's stream through one pooled buffer, never held whole. A failure of the
/// caller's stream is raised as <see cref="SourceFailedException"/>, which HttpClient passes through unwrapped, so the
/// caller gets its own exception back rather than a network error (and the request is not retried).
/// </summary>
/// <param name="source">The bytes to send, from its current position.</param>
/// <param name="length">How many bytes that is, or -1 when unknown (sent chunked).</param>
internal sealed class UploadContent(Stream source, long length) : HttpContent
{
    private const int BufferSize = 81_920;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new SourceFailedException(e);
                }

                if (read == 0)
                {
                    return;
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long known)
    {
        // A known length lets servers that refuse chunked uploads (some MLflow deployments) take the file.
        known = length;
        return length >= 0;
    }
}

/// <summary>The caller's upload stream failed; <see cref="Exception.InnerException"/> is its exception.</summary>
internal sealed class SourceFailedException(Exception inner) : Exception("the stream being uploaded failed", inner);

/// <summary>A downloaded file's body; disposing it releases the response and its connection.</summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream body) : Stream
{
    public static async Task<Stream> OpenAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    /// <summary>The size the server announced; not all servers announce one.</summary>
    public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException("the server did not send the file's length");

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => body.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => body.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        body.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => body.ReadAsync(buffer, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            body.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await body.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
