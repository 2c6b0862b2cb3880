using System.Globalization;
using System.Text;

namespace Ferry.Serving.Tests.Metrics;

/// <summary>One sample line of the text format.</summary>
internal sealed record ExpositionSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict little reader of Prometheus's text format 0.0.4, so tests check what a scraper would see rather than
/// substrings: it rejects a line it cannot read, a sample before its family's TYPE, and an unknown escape.
/// </summary>
internal sealed class ExpositionText
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    public Dictionary<string, string> Help { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public List<ExpositionSample> Samples { get; } = [];

    public static ExpositionText Parse(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', text);
        var parsed = new ExpositionText();
        foreach (var line in text[..^1].Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                parsed.Help.Add(rest[..space], Unescape(rest[(space + 1)..], quotes: false));
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Equal(4, parts.Length);
                Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                parsed.Types.Add(parts[2], parts[3]);
            }
            else
            {
                var sample = ParseSample(line);
                Assert.True(parsed.Types.ContainsKey(parsed.FamilyOf(sample.Name)), $"sample before its TYPE line: {line}");
                parsed.Samples.Add(sample);
            }
        }

        return parsed;
    }

    /// <summary>The family a sample belongs to: a histogram's _bucket, _sum and _count belong to the histogram.</summary>
    public string FamilyOf(string sampleName)
    {
        foreach (var suffix in HistogramSuffixes)
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && Types.GetValueOrDefault(sampleName[..^suffix.Length]) == "histogram")
            {
                return sampleName[..^suffix.Length];
            }
        }

        return sampleName;
    }

    /// <summary>The samples named <paramref name="name"/> whose labels include every pair given.</summary>
    public IReadOnlyList<ExpositionSample> Find(string name, params (string Label, string Value)[] labels) =>
        [.. Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value))];

    /// <summary>The value of the one sample matching, failing the test if there is not exactly one.</summary>
    public double Value(string name, params (string Label, string Value)[] labels) => Assert.Single(Find(name, labels)).Value;

    /// <summary>A histogram series' buckets as (upper bound, cumulative count), in the order written.</summary>
    public IReadOnlyList<(double Le, double Count)> Buckets(string name, params (string Label, string Value)[] labels) =>
        [.. Find(name + "_bucket", labels).Select(s => (ParseNumber(s.Labels["le"]), s.Value))];

    private static ExpositionSample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        Assert.True(i > 0, $"no metric name: {line}");
        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var equals = line.IndexOf('=', i);
                var label = line[i..equals];
                Assert.Equal('"', line[equals + 1]);
                var value = new StringBuilder();
                var j = equals + 2;
                for (; line[j] != '"'; j++)
                {
                    value.Append(line[j]);
                    if (line[j] == '\\')
                    {
                        value.Append(line[++j]);
                    }
                }

                labels.Add(label, Unescape(value.ToString(), quotes: true));
                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        Assert.Equal(' ', line[i]);
        return new ExpositionSample(name, labels, ParseNumber(line[(i + 1)..]));
    }

    private static double ParseNumber(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Unescape(string text, bool quotes)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }

            result.Append(text[++i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when quotes => '"',
                var other => throw new FormatException($"unknown escape \\{other} in '{text}'"),
            });
        }

        return result.ToString();
    }
}
