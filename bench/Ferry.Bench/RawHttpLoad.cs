using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Ferry.Bench;

/// <summary>
/// One closed-loop client speaking plain HTTP/1.1 over one kept-alive socket, with blocking calls on its own thread,
/// as load generators such as wrk do. HttpClient's own work and its thread-pool hops (tens of µs per request on two
/// cores) are the caller's cost, not the server's; this client leaves almost only the server and the loopback.
/// </summary>
internal static class RawHttpLoad
{
    /// <summary>Sends the same request for <paramref name="duration"/>: a POST of <paramref name="body"/>, or a GET when it is null.</summary>
    public static Task<LoadResult> RunAsync(Uri server, string path, byte[]? body, TimeSpan duration) =>
        Task.Factory.StartNew(() => Run(server, path, body, duration), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static LoadResult Run(Uri server, string path, byte[]? body, TimeSpan duration)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(server.Host, server.Port);
        var head = $"{(body is null ? "GET" : "POST")} {path} HTTP/1.1\r\nHost: {server.Authority}\r\n"
            + (body is null ? "" : $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n") + "\r\n";
        byte[] request = [.. Encoding.ASCII.GetBytes(head), .. body ?? []];
        var buffer = new byte[1 << 16];
        var latencies = new List<double>();
        var errors = new List<string>();
        long failed = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            socket.Send(request);
            var status = ReadResponse(socket, buffer);
            if (status == 200)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                failed++;
                if (errors.Count < 5)
                {
                    errors.Add($"HTTP {status}");
                }
            }
        }

        return new LoadResult(latencies.Count, failed, clock.Elapsed.TotalSeconds, [.. latencies.Order()], errors);
    }

    /// <summary>Reads one whole response (Content-Length or chunked) and returns its status.</summary>
    private static int ReadResponse(Socket socket, byte[] buffer)
    {
        var length = 0;
        int headEnd;
        while ((headEnd = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            length += Receive(socket, buffer, length);
        }

        var head = Encoding.ASCII.GetString(buffer, 0, headEnd);
        var status = int.Parse(head.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = headEnd + 4;
        var lines = head.Split("\r\n");
        if (lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } contentLength)
        {
            var end = bodyStart + int.Parse(contentLength.AsSpan(15).Trim(), provider: System.Globalization.CultureInfo.InvariantCulture);
            while (length < end)
            {
                length += Receive(socket, buffer, length);
            }
        }
        else
        {
            // Chunked: the response ends with the empty last chunk.
            while (!buffer.AsSpan(bodyStart, length - bodyStart).EndsWith("0\r\n\r\n"u8))
            {
                length += Receive(socket, buffer, length);
            }
        }

        return status;
    }

    private static int Receive(Socket socket, byte[] buffer, int offset)
    {
        var read = socket.Receive(buffer, offset, buffer.Length - offset, SocketFlags.None);
        return read > 0 ? read : throw new InvalidOperationException("the server closed the connection");
    }
}
