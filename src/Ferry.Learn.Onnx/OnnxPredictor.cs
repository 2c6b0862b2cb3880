using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Features;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ferry.Learn.Onnx;

/// <summary>
/// An ONNX model served by one ONNX Runtime session, created once and shared: <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is safe to call from several threads, and the predictor keeps no other state, so it is thread-safe.
/// </summary>
internal sealed class OnnxPredictor : IPredictor
{
    private readonly InferenceSession _session;
    private readonly OnnxBinding _binding;
    private readonly OnnxPort[] _inputs;
    private readonly IReadOnlyList<string>[] _inputColumns;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OnnxPort _output;
    private readonly Dictionary<string, int> _classIndex;
    private readonly bool _rowByRow;

    private OnnxPredictor(InferenceSession session, ModelSignature signature, OnnxBinding binding, OnnxPort[] inputs, IReadOnlyList<string>[] inputColumns, OnnxPort output)
    {
        _session = session;
        Signature = signature;
        _binding = binding;
        _inputs = inputs;
        _inputColumns = inputColumns;
        _inputNames = [.. inputs.Select(i => i.Name)];
        _output = output;
        _outputNames = binding.LabelOutput is { } label ? [output.Name, label] : [output.Name];
        _classIndex = signature.Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        _rowByRow = inputs.Any(i => i.Dims[0] == 1);
    }

    /// <inheritdoc />
    public ModelSignature Signature { get; }

    /// <summary>Checks that the session's graph is the one the binding describes, and wraps it. The predictor owns the session.</summary>
    /// <exception cref="FerryException">PACKAGE_INVALID naming the input or output that does not match.</exception>
    public static OnnxPredictor Create(InferenceSession session, ModelSignature signature, OnnxBinding binding, string source)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(binding);
        var inputs = session.InputNames.Select(n => OnnxPort.From(n, session.InputMetadata[n])).ToArray();
        var outputs = session.OutputNames.Select(n => OnnxPort.From(n, session.OutputMetadata[n])).ToDictionary(p => p.Name, StringComparer.Ordinal);
        IReadOnlyList<string>[] columns;
        if (binding.Layout == OnnxLayout.Matrix)
        {
            if (inputs is not [{ IsFloating: true, Rank: 2 } matrix] || matrix.Name != binding.MatrixInput || matrix.Dims[1] >= 0 && matrix.Dims[1] != signature.Inputs.Count)
            {
                throw Mismatch(source, $"model.json expects one input '{binding.MatrixInput}' [N, {signature.Inputs.Count}], but the graph has {Describe(inputs)}");
            }

            columns = [[.. signature.Inputs.Select(i => i.Name)]];
        }
        else
        {
            var names = signature.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            if (inputs.Length != names.Count || inputs.Any(i => !names.Contains(i.Name) || !i.IsOnePerRow))
            {
                throw Mismatch(source, $"model.json expects one [N, 1] input per column ({string.Join(", ", names)}), but the graph has {Describe(inputs)}");
            }

            columns = [.. inputs.Select(i => (IReadOnlyList<string>)[i.Name])];
        }

        var output = outputs.GetValueOrDefault(binding.Output);
        var fits = output is not null && binding.OutputKind switch
        {
            OnnxOutputKind.Probabilities => output.IsScoreMatrix && signature.Task != TaskKind.Regression,
            OnnxOutputKind.ProbabilityMaps => output.Kind == OnnxPortKind.SequenceOfMaps && signature.Task != TaskKind.Regression,
            OnnxOutputKind.Sigmoid => output.IsFloating && output.IsOnePerRow && signature.Task == TaskKind.Binary,
            _ => output.IsFloating && output.IsOnePerRow && signature.Task == TaskKind.Regression,
        };
        if (!fits)
        {
            throw Mismatch(source, $"model.json reads output '{binding.Output}' as {binding.OutputKind} for a {signature.Task} model, but the graph's outputs are {Describe(outputs.Values)}");
        }

        if (binding.LabelOutput is { } label && outputs.GetValueOrDefault(label) is not { IsOnePerRow: true })
        {
            throw Mismatch(source, $"model.json names label output '{label}', which the graph lacks or which is not one label per row");
        }

        return new OnnxPredictor(session, signature, binding, inputs, columns, output!);
    }

    /// <inheritdoc />
    public Task<Predictions> PredictAsync(Table features, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(features);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Predict(features, cancellationToken));
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private Predictions Predict(Table table, CancellationToken cancellationToken)
    {
        var absent = Signature.Inputs.Where(i => table.IndexOf(i.Name) < 0).Select(i => i.Name).ToList();
        if (absent.Count > 0)
        {
            throw InputErrors.MissingColumns(absent, emptyAllowed: false);
        }

        var rows = table.RowCount;
        var classification = Signature.Task != TaskKind.Regression;
        var probabilities = classification ? new float[rows][] : null;
        var labels = classification ? new string[rows] : null;
        var values = classification ? null : new double[rows];
        var feeds = _inputs.Select((port, i) => OnnxFeed.Build(table, port, _inputColumns[i])).ToArray();
        var chunk = _rowByRow ? 1 : Math.Max(rows, 1);
        using var runOptions = new RunOptions();
        using var stop = cancellationToken.Register(() => runOptions.Terminate = true);
        for (var start = 0; start < rows; start += chunk)
        {
            var count = Math.Min(chunk, rows - start);
            var inputs = new List<OrtValue>(feeds.Length);
            try
            {
                foreach (var feed in feeds)
                {
                    inputs.Add(feed.Slice(start, count));
                }

                using var results = _session.Run(runOptions, _inputNames, inputs, _outputNames);
                var scores = new OnnxScores(this, table, start, count);
                if (classification)
                {
                    scores.ReadProbabilities(results[0], probabilities!);
                    scores.ReadLabels(_binding.LabelOutput is null ? null : results[1], probabilities!, labels!);
                }
                else
                {
                    scores.ReadValues(results[0], values!);
                }
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OnnxRuntimeException e)
            {
                throw FerryException.Invalid("ONNX_RUN_FAILED", $"ONNX Runtime could not score rows {start + 1} to {start + count}: {e.Message}");
            }
            finally
            {
                foreach (var input in inputs)
                {
                    input.Dispose();
                }
            }
        }

        return classification
            ? Predictions.ForClasses(Signature.Task, Signature.Classes, labels!, probabilities!)
            : Predictions.ForValues(values!);
    }

    private static string Describe(IEnumerable<OnnxPort> ports) => string.Join(", ", ports.Select(p => $"'{p.Name}' {p.Describe()}"));

    private static FerryException Mismatch(string source, string problem) =>
        FerryException.Invalid("PACKAGE_INVALID", $"model package '{source}' cannot be used: its model.onnx does not match its model.json: {problem}");

    /// <summary>Reads one run's outputs into the batch's results, checking each row.</summary>
    private sealed class OnnxScores(OnnxPredictor predictor, Table table, int start, int count)
    {
        private const float Tolerance = 1e-3f;

        public void ReadProbabilities(OrtValue value, float[][] probabilities)
        {
            var classes = predictor.Signature.Classes.Count;
            switch (predictor._binding.OutputKind)
            {
                case OnnxOutputKind.Probabilities:
                    {
                        var shape = value.GetTensorTypeAndShape().Shape;
                        if (shape is not [var n, var c] || n != count || c != classes)
                        {
                            throw Output($"came back with shape [{string.Join(", ", shape)}] for {count} rows; expected [{count}, {classes}]");
                        }

                        var flat = Floats(value);
                        for (var i = 0; i < count; i++)
                        {
                            probabilities[start + i] = flat.AsSpan(i * classes, classes).ToArray();
                        }

                        break;
                    }

                case OnnxOutputKind.ProbabilityMaps:
                    {
                        if (value.GetValueCount() != count)
                        {
                            throw Output($"came back with {value.GetValueCount()} maps for {count} rows");
                        }

                        for (var i = 0; i < count; i++)
                        {
                            using var map = value.GetValue(i, OrtAllocator.DefaultInstance);
                            using var keys = map.GetValue(0, OrtAllocator.DefaultInstance);
                            using var scores = map.GetValue(1, OrtAllocator.DefaultInstance);
                            var names = Texts(keys);
                            var numbers = Floats(scores);
                            var row = new float[classes];
                            for (var k = 0; k < names.Length; k++)
                            {
                                row[ClassOf(names[k], i, predictor._output.Name)] = numbers[k];
                            }

                            probabilities[start + i] = row;
                        }

                        break;
                    }

                default:
                    {
                        var p = OnePerRow(value);
                        for (var i = 0; i < count; i++)
                        {
                            probabilities[start + i] = [(float)(1 - p[i]), (float)p[i]];
                        }

                        break;
                    }
            }

            for (var i = 0; i < count; i++)
            {
                Check(probabilities[start + i], i);
            }
        }

        public void ReadLabels(OrtValue? value, float[][] probabilities, string[] labels)
        {
            var classes = predictor.Signature.Classes;
            if (value is null)
            {
                for (var i = 0; i < count; i++)
                {
                    var p = probabilities[start + i];
                    labels[start + i] = classes[predictor.Signature.Task == TaskKind.Binary ? (p[1] >= 0.5f ? 1 : 0) : ArgMax(p)];
                }

                return;
            }

            var texts = Texts(value);
            if (texts.Length != count)
            {
                throw Output($"label output '{predictor._binding.LabelOutput}' came back with {texts.Length} labels for {count} rows");
            }

            for (var i = 0; i < count; i++)
            {
                labels[start + i] = classes[ClassOf(texts[i], i, predictor._binding.LabelOutput!)];
            }
        }

        public void ReadValues(OrtValue value, double[] values)
        {
            var numbers = OnePerRow(value);
            for (var i = 0; i < count; i++)
            {
                if (!double.IsFinite(numbers[i]))
                {
                    throw NoResult(i);
                }

                values[start + i] = numbers[i];
            }
        }

        private double[] OnePerRow(OrtValue value)
        {
            var numbers = Doubles(value);
            return numbers.Length == count ? numbers : throw Output($"came back with {numbers.Length} values for {count} rows; expected one per row");
        }

        /// <summary>A label's class: by name, else (for integer labels) by position.</summary>
        private int ClassOf(string label, int row, string output)
        {
            if (predictor._classIndex.TryGetValue(label, out var index))
            {
                return index;
            }

            if (long.TryParse(label, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var position)
                && position >= 0 && position < predictor.Signature.Classes.Count)
            {
                return (int)position;
            }

            throw Output($"output '{output}' gave class '{label}' for row {start + row + 1}, which is none of the model's classes ({string.Join(", ", predictor.Signature.Classes)}); import the model again with the right --classes", row);
        }

        private void Check(float[] probabilities, int row)
        {
            if (probabilities.Any(float.IsNaN))
            {
                throw NoResult(row);
            }

            var sum = probabilities.Sum();
            if (probabilities.Any(p => p < -Tolerance || p > 1 + Tolerance) || Math.Abs(sum - 1) > Tolerance)
            {
                throw Output($"does not hold class probabilities: row {start + row + 1} gives {string.Join(", ", probabilities.Select(p => p.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))} (sum {sum:G4}); "
                    + "Ferry serves ONNX classifiers whose output is probabilities, so export the model with a softmax (or sigmoid) at the end", row);
            }
        }

        private FerryException NoResult(int row)
        {
            var global = start + row;
            var empty = predictor.Signature.Inputs.FirstOrDefault(i => table[i.Name].IsMissing(global));
            return empty is not null
                ? InputErrors.At(empty.Name, global, $"column '{empty.Name}' is empty in row {global + 1}, and this ONNX model gives no result for a missing value; fill it in")
                : InputErrors.At(null, global, $"the model gave no number (NaN) for row {global + 1} from output '{predictor._output.Name}'");
        }

        private FerryException Output(string problem, int? row = null) =>
            FerryException.Invalid("ONNX_OUTPUT_INVALID", $"the ONNX model's output '{predictor._output.Name}' {problem}",
                row is { } r ? new SourceLocation("input", start + r + 1) : null);

        private static float[] Floats(OrtValue value) => value.GetTensorTypeAndShape().ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Double => [.. value.GetTensorDataAsSpan<double>().ToArray().Select(v => (float)v)],
            var other => throw new InvalidOperationException($"expected a float or double tensor, got {other}"),
        };

        private static double[] Doubles(OrtValue value) => value.GetTensorTypeAndShape().ElementDataType switch
        {
            TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray(),
            TensorElementType.Float => [.. value.GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v)],
            var other => throw new InvalidOperationException($"expected a float or double tensor, got {other}"),
        };

        private static string[] Texts(OrtValue value) => value.GetTensorTypeAndShape().ElementDataType switch
        {
            TensorElementType.String => value.GetStringTensorAsArray(),
            TensorElementType.Int64 => [.. value.GetTensorDataAsSpan<long>().ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            TensorElementType.Int32 => [.. value.GetTensorDataAsSpan<int>().ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            var other => throw new InvalidOperationException($"expected a string or integer tensor, got {other}"),
        };

        private static int ArgMax(float[] values)
        {
            var best = 0;
            for (var i = 1; i < values.Length; i++)
            {
                if (values[i] > values[best])
                {
                    best = i;
                }
            }

            return best;
        }
    }
}
