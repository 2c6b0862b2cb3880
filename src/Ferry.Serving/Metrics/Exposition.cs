using System.Globalization;
using System.Text;

namespace Ferry.Serving.Metrics;

/// <summary>
/// Prometheus's text exposition format 0.0.4: <c># HELP</c> and <c># TYPE</c> lines, then one
/// <c>name{label="value",…} number</c> line per sample, lines ended by <c>\n</c>.
/// </summary>
internal static class Exposition
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Header(StringBuilder text, string name, string help, string type)
    {
        text.Append("# HELP ").Append(name).Append(' ');
        Escape(text, help, quotes: false);
        text.Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>One sample line; <paramref name="le"/> adds the histogram bucket's bound as the last label.</summary>
    public static void Sample(StringBuilder text, string name, IReadOnlyList<string> labelNames, IReadOnlyList<string> labelValues, string? le, string value)
    {
        text.Append(name);
        if (labelNames.Count > 0 || le is not null)
        {
            text.Append('{');
            for (var i = 0; i < labelNames.Count; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(labelNames[i]).Append("=\"");
                Escape(text, labelValues[i], quotes: true);
                text.Append('"');
            }

            if (le is not null)
            {
                text.Append(labelNames.Count == 0 ? "" : ",").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }

    /// <summary>A number as the format writes it: Go's float syntax, with +Inf, -Inf and NaN spelled so.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    // Label values escape backslash, double quote and line feed; HELP text only backslash and line feed.
    private static void Escape(StringBuilder text, string value, bool quotes)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                case '"' when quotes:
                    text.Append("\\\"");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }
}
