using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Hosting.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Ferry.Hosting.Tests;

/// <summary>
/// Replays one recorded MLflow request of any kind against Ferry: recorded ids are mapped to Ferry's wherever they
/// appear (path segments, query values, JSON bodies), file uploads are sent as bodies of the recorded size and type,
/// and the reply is checked for the recorded status and then either the JSON shape or, for a file, its type and size.
/// </summary>
internal static partial class GoldenReplay
{
    private static readonly IReadOnlyList<(string Verb, TemplateMatcher Matcher)> ArtifactAndModelRoutes =
        ArtifactRoutes.All.Select(r => (r.Verb, new TemplateMatcher(TemplateParser.Parse(r.Template), new RouteValueDictionary()))).ToList();

    /// <summary>Whether the artifact proxy or the logged-model endpoints answer this request.</summary>
    public static bool ServedByArtifactRoutes(string method, string path)
    {
        var endpoint = path.Split('?')[0];
        return ArtifactAndModelRoutes.Any(r => r.Verb == method && r.Matcher.TryMatch(endpoint, new RouteValueDictionary()));
    }

    /// <summary>Sends the recorded request and returns null when Ferry answers like MLflow, else what differs. Learns new ids.</summary>
    public static async Task<string?> ReplayAsync(ServerFixture server, JsonObject record, Dictionary<string, string> ids)
    {
        var method = record["method"]!.GetValue<string>();
        var path = record["path"]!.GetValue<string>();
        using var request = new HttpRequestMessage(new HttpMethod(method), MapPath(path, ids));
        request.Content = Body(record, ids);
        using var response = await server.Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var expectedStatus = record["status"]!.GetValue<int>();
        var text = Encoding.UTF8.GetString(bytes);
        if ((int)response.StatusCode != expectedStatus)
        {
            return $"{method} {path}: status {(int)response.StatusCode}, MLflow {expectedStatus}: {text}";
        }

        var expectedType = record["resp_ct"]?.GetValue<string>();
        var actualType = response.Content.Headers.ContentType?.MediaType;
        if (expectedType != actualType)
        {
            return $"{method} {path}: content type {actualType}, MLflow {expectedType}";
        }

        var recorded = record["resp"];
        if (recorded is JsonValue v && v.GetValueKind() == JsonValueKind.String && SizePlaceholder().Match(v.GetValue<string>()) is { Success: true } size)
        {
            var expectedLength = long.Parse(size.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return bytes.Length == expectedLength ? null : $"{method} {path}: {bytes.Length} bytes, MLflow {expectedLength}";
        }

        JsonNode? actual;
        try
        {
            actual = bytes.Length == 0 ? null : JsonNode.Parse(bytes);
        }
        catch (JsonException e)
        {
            return $"{method} {path}: the body is not JSON ({e.Message}): {text}";
        }

        if (GoldenTrafficTests.ShapeDifference(recorded, actual, "$") is { } difference)
        {
            return $"{method} {path}: {difference}\n  Ferry:  {text}\n  MLflow: {recorded?.ToJsonString()}";
        }

        Learn(path, recorded, actual, ids);
        return null;
    }

    private static HttpContent? Body(JsonObject record, Dictionary<string, string> ids)
    {
        var body = record["req"];
        if (body is null)
        {
            return null;
        }

        var type = record["req_ct"]?.GetValue<string>() ?? "application/json";
        HttpContent content = body is JsonValue v && v.GetValueKind() == JsonValueKind.String && SizePlaceholder().Match(v.GetValue<string>()) is { Success: true } size
            ? new ByteArrayContent(Enumerable.Repeat((byte)'x', int.Parse(size.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            : new StringContent(MapIds(body.DeepClone(), ids).ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    /// <summary>Records the id a create call returned in place of the one MLflow's server returned, for later requests.</summary>
    internal static void Learn(string path, JsonNode? recorded, JsonNode? actual, Dictionary<string, string> ids)
    {
        var endpoint = path.Split('?')[0];
        (string? From, string? To) pair = endpoint switch
        {
            _ when endpoint.EndsWith("/experiments/create", StringComparison.Ordinal) => (recorded?["experiment_id"]?.GetValue<string>(), actual?["experiment_id"]?.GetValue<string>()),
            _ when endpoint.EndsWith("/runs/create", StringComparison.Ordinal) => (Id(recorded, "run", "run_id"), Id(actual, "run", "run_id")),
            _ when endpoint.EndsWith("/logged-models", StringComparison.Ordinal) => (Id(recorded, "model", "model_id"), Id(actual, "model", "model_id")),
            _ => (null, null),
        };
        if (pair is { From: { } from, To: { } to })
        {
            ids[from] = to;
        }
    }

    private static string? Id(JsonNode? node, string outer, string field) => node?[outer]?["info"]?[field]?.GetValue<string>();

    /// <summary>Maps every path segment and every query value (and each '/'-separated part of it) that is a recorded id.</summary>
    internal static string MapPath(string path, Dictionary<string, string> ids)
    {
        var question = path.IndexOf('?', StringComparison.Ordinal);
        var endpoint = question < 0 ? path : path[..question];
        var mapped = string.Join('/', endpoint.Split('/').Select(s => ids.GetValueOrDefault(s, s)));
        if (question < 0)
        {
            return mapped;
        }

        var pairs = path[(question + 1)..].Split('&').Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                return pair;
            }

            var value = Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            var parts = value.Split('/').Select(s => ids.GetValueOrDefault(s, s));
            return pair[..(equals + 1)] + Uri.EscapeDataString(string.Join('/', parts));
        });
        return mapped + "?" + string.Join('&', pairs);
    }

    /// <summary>Replaces every string in a request body that is a recorded id, or a '/'-separated part of one that is.</summary>
    internal static JsonNode MapIds(JsonNode node, Dictionary<string, string> ids)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (o[key] is { } child)
                    {
                        o[key] = MapIds(child.DeepClone(), ids);
                    }
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } child)
                    {
                        a[i] = MapIds(child.DeepClone(), ids);
                    }
                }

                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                // Ids also appear inside URIs such as models:/<model_id> and runs:/<run_id>/model: map each '/'-separated part.
                var text = v.GetValue<string>();
                var mapped = string.Join('/', text.Split('/').Select(s => ids.GetValueOrDefault(s, s)));
                return mapped == text ? node : JsonValue.Create(mapped);
            default:
                return node;
        }
    }

    /// <summary>How the recording wrote a file body it did not keep: <c>&lt;5 bytes text/plain&gt;</c>.</summary>
    [GeneratedRegex(@"^<(\d+) bytes [^>]*>$")]
    private static partial Regex SizePlaceholder();
}
