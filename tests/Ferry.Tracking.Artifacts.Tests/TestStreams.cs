using System.Security.Cryptography;

namespace Ferry.Tracking.Artifacts.Tests;

/// <summary>
/// A non-seekable stream of <c>length</c> pseudo-random bytes generated on the fly, so a large upload can
/// be tested without the test itself holding the content. Each byte depends only on its position and the
/// seed, so the content is the same however it is read; with <c>failAfter</c> it throws after that many bytes.
/// </summary>
internal sealed class PatternStream(long length, int seed, long failAfter = -1) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (failAfter >= 0 && _position >= failAfter)
        {
            throw new IOException("the source broke off (test)");
        }

        var count = (int)Math.Min(buffer.Length, length - _position);
        var limit = failAfter >= 0 ? (int)Math.Min(count, failAfter - _position) : count;
        for (var i = 0; i < limit; i++)
        {
            var x = (ulong)(_position + i + 1) * 0x9E3779B97F4A7C15UL ^ (ulong)seed;
            buffer[i] = (byte)((x ^ (x >> 29)) >> 24);
        }

        _position += limit;
        return limit;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal static class TestHashes
{
    public static async Task<(string Hash, long Length)> OfAsync(Stream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81_920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        return (Convert.ToHexString(hash.GetHashAndReset()), total);
    }
}
