using System.Globalization;
using System.Text;
using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn;

namespace Ferry.Cli.Commands;

/// <summary>
/// Writes <c>ferry predict</c>'s CSV: a row id (the 1-based row number, or a copied key column), <c>prediction</c>, and
/// for classifiers <c>probability_&lt;class&gt;</c> per class. To a file it writes a hidden temp file beside the target
/// and renames it into place on <see cref="CommitAsync"/>, so an error or Ctrl+C leaves no half-written output; to
/// standard output it writes each batch as it comes.
/// </summary>
internal sealed class PredictionWriter : IAsyncDisposable
{
    private readonly TextWriter _writer;
    private readonly string? _target;
    private readonly string? _temp;
    private readonly StringBuilder _line = new();
    private bool _committed;

    private PredictionWriter(TextWriter writer, string? target, string? temp)
    {
        _writer = writer;
        _target = target;
        _temp = temp;
    }

    /// <summary>Opens the output: the file <paramref name="target"/>, or <paramref name="standardOutput"/> when it is null.</summary>
    public static PredictionWriter Open(string? target, TextWriter standardOutput)
    {
        if (target is null)
        {
            return new PredictionWriter(standardOutput, null, null);
        }

        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        return new PredictionWriter(new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16), target, temp);
    }

    /// <summary>The output's column names.</summary>
    public static IReadOnlyList<string> Header(string idName, ModelSignature signature) =>
        signature.Task == TaskKind.Regression
            ? [idName, "prediction"]
            : [idName, "prediction", .. signature.Classes.Select(c => "probability_" + c)];

    public Task WriteHeaderAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        for (var i = 0; i < names.Count; i++)
        {
            Append(i, names[i]);
        }

        _line.Append('\n');
        return FlushLineAsync(ct);
    }

    /// <summary>Writes one batch: row <c>i</c> of <paramref name="predictions"/> is row <paramref name="start"/> + i of the input.</summary>
    /// <param name="predictions">The batch's predictions.</param>
    /// <param name="start">The 0-based input row of the batch's first row.</param>
    /// <param name="ids">The key column to copy, or null to number the rows from 1.</param>
    /// <param name="ct">Cancels the write.</param>
    public Task WriteBatchAsync(Predictions predictions, int start, Column? ids, CancellationToken ct)
    {
        for (var i = 0; i < predictions.Count; i++)
        {
            var row = start + i;
            Append(0, ids is null ? (row + 1L).ToString(CultureInfo.InvariantCulture) : ids.GetText(row) ?? "");
            if (predictions.Values is { } values)
            {
                Append(1, values[i].ToString("R", CultureInfo.InvariantCulture));
            }
            else
            {
                Append(1, predictions.Labels![i]);
                var probabilities = predictions.Probabilities![i];
                for (var k = 0; k < probabilities.Length; k++)
                {
                    Append(2 + k, probabilities[k].ToString(CultureInfo.InvariantCulture));
                }
            }

            _line.Append('\n');
        }

        return FlushLineAsync(ct);
    }

    /// <summary>Finishes the output: flushes it and, for a file, moves it into place (replacing an older one).</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await _writer.FlushAsync(ct);
        if (_temp is not null)
        {
            await _writer.DisposeAsync();
            File.Move(_temp, _target!, overwrite: true);
        }

        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_temp is null)
        {
            return;
        }

        await _writer.DisposeAsync();
        if (!_committed)
        {
            File.Delete(_temp);
        }
    }

    private void Append(int column, string value)
    {
        if (column > 0)
        {
            _line.Append(',');
        }

        if (value.Length > 0 && (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' '))
        {
            _line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            _line.Append(value);
        }
    }

    private async Task FlushLineAsync(CancellationToken ct)
    {
        await _writer.WriteAsync(_line, ct);
        _line.Clear();
    }
}
