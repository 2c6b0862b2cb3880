using System.Collections.Concurrent;
using System.Text;

namespace Ferry.Serving.Metrics;

/// <summary>One metric name with its help, type and label names, and its series (one per set of label values).</summary>
internal abstract class MetricFamily(string name, string help, string type, string[] labelNames)
{
    public string Name => name;

    public IReadOnlyList<string> LabelNames => labelNames;

    /// <summary>Appends the family's HELP and TYPE lines and every series' samples.</summary>
    public void Write(StringBuilder text)
    {
        Exposition.Header(text, name, help, type);
        WriteSeries(text);
    }

    /// <summary>Drops the series whose label values match (for example those of a version that was unloaded).</summary>
    public abstract void RemoveWhere(Func<IReadOnlyList<string>, bool> match);

    protected abstract void WriteSeries(StringBuilder text);
}

/// <summary>A family whose series are objects of <typeparamref name="TSeries"/>, created on first use.</summary>
internal abstract class MetricFamily<TSeries>(string name, string help, string type, string[] labelNames)
    : MetricFamily(name, help, type, labelNames)
    where TSeries : class
{
    protected ConcurrentDictionary<LabelValues, TSeries> Series { get; } = new();

    public override void RemoveWhere(Func<IReadOnlyList<string>, bool> match)
    {
        foreach (var labels in Series.Keys)
        {
            if (match(labels.Values))
            {
                Series.TryRemove(labels, out _);
            }
        }
    }

    protected LabelValues Labels(string[] values) =>
        values.Length == LabelNames.Count
            ? new LabelValues(values)
            : throw new ArgumentException($"{Name} has labels ({string.Join(", ", LabelNames)}) but {values.Length} values were given", nameof(values));

    /// <summary>The series in label order, so scrapes list them alike.</summary>
    protected KeyValuePair<LabelValues, TSeries>[] Sorted()
    {
        var series = Series.ToArray();
        Array.Sort(series, (a, b) => LabelValues.Compare(a.Key, b.Key));
        return series;
    }
}

/// <summary>Counters, one per label set.</summary>
internal sealed class CounterFamily(string name, string help, params string[] labelNames)
    : MetricFamily<Counter>(name, help, "counter", labelNames)
{
    public void Add(long by, params string[] labels) =>
        Series.GetOrAdd(Labels(labels), static _ => new Counter()).Add(by);

    protected override void WriteSeries(StringBuilder text)
    {
        foreach (var (labels, counter) in Sorted())
        {
            Exposition.Sample(text, Name, LabelNames, labels.Values, null, Exposition.Number(counter.Value));
        }
    }
}

/// <summary>Histograms over one set of bounds, one per label set.</summary>
internal sealed class HistogramFamily(string name, string help, double[] bounds, params string[] labelNames)
    : MetricFamily<Histogram>(name, help, "histogram", labelNames)
{
    private readonly string[] _le = [.. bounds.Select(Exposition.Number), "+Inf"];

    public void Observe(double value, params string[] labels) =>
        Series.GetOrAdd(Labels(labels), static (_, b) => new Histogram(b), bounds).Observe(value);

    protected override void WriteSeries(StringBuilder text)
    {
        foreach (var (labels, histogram) in Sorted())
        {
            var snapshot = histogram.Snapshot();
            for (var i = 0; i < _le.Length; i++)
            {
                Exposition.Sample(text, Name + "_bucket", LabelNames, labels.Values, _le[i], Exposition.Number(snapshot.Cumulative[i]));
            }

            Exposition.Sample(text, Name + "_sum", LabelNames, labels.Values, null, Exposition.Number(snapshot.Sum));
            Exposition.Sample(text, Name + "_count", LabelNames, labels.Values, null, Exposition.Number(snapshot.Count));
        }
    }
}

/// <summary>Gauges whose value is read from a callback when scraped, so a queue's depth is never stale.</summary>
internal sealed class CallbackGaugeFamily(string name, string help, params string[] labelNames)
    : MetricFamily<Func<double>>(name, help, "gauge", labelNames)
{
    /// <summary>Reads the series' value from <paramref name="read"/> from now on (replacing an earlier callback).</summary>
    public void Set(Func<double> read, params string[] labels) => Series[Labels(labels)] = read;

    protected override void WriteSeries(StringBuilder text)
    {
        foreach (var (labels, read) in Sorted())
        {
            double value;
            try
            {
                value = read();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A callback of a queue torn down before RemoveServable must not fail the whole scrape: skip its series.
                continue;
            }

            Exposition.Sample(text, Name, LabelNames, labels.Values, null, Exposition.Number(value));
        }
    }
}
