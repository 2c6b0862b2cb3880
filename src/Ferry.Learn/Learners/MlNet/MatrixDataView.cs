using Ferry.Data.Schema;
using Ferry.Learn.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>
/// A <see cref="FeatureMatrix"/> seen as an ML.NET <see cref="IDataView"/> without copying it: a <c>Features</c>
/// vector column read straight from the matrix, and for training a <c>Label</c> (boolean for binary, a key over the
/// classes for multiclass so scores come out in class-index order, a float for regression) and an optional <c>Weight</c>.
/// </summary>
internal sealed class MatrixDataView : IDataView
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";
    public const string WeightColumn = "Weight";

    private readonly FeatureMatrix _features;
    private readonly float[]? _labels;
    private readonly float[]? _weights;

    private MatrixDataView(FeatureMatrix features, float[]? labels, float[]? weights, DataViewType? labelType)
    {
        _features = features;
        _labels = labels;
        _weights = weights;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, features.Columns));
        if (labelType is not null)
        {
            builder.AddColumn(LabelColumn, labelType);
        }

        if (weights is not null)
        {
            builder.AddColumn(WeightColumn, NumberDataViewType.Single);
        }

        Schema = builder.ToSchema();
    }

    /// <inheritdoc />
    public bool CanShuffle => true;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <summary>The rows to fit on, with labels and (when the set has them) weights.</summary>
    public static MatrixDataView ForTraining(TrainingSet set) =>
        new(set.Features, set.Labels, set.Weights, LabelType(set.Task, set.Classes.Count));

    /// <summary>The rows to score: features only.</summary>
    public static MatrixDataView ForScoring(FeatureMatrix features) => new(features, null, null, null);

    /// <summary>The label column type ML.NET's trainers expect for a task.</summary>
    public static DataViewType LabelType(TaskKind task, int classCount) => task switch
    {
        TaskKind.Binary => BooleanDataViewType.Instance,
        TaskKind.Multiclass => new KeyDataViewType(typeof(uint), classCount),
        _ => NumberDataViewType.Single,
    };

    /// <inheritdoc />
    public long? GetRowCount() => _features.Rows;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, rand is null ? null : Permutation(_features.Rows, rand));

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private static int[] Permutation(int rows, Random rand)
    {
        var order = Enumerable.Range(0, rows).ToArray();
        rand.Shuffle(order);
        return order;
    }

    private sealed class Cursor(MatrixDataView view, int[]? order) : DataViewRowCursor
    {
        private int _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        private int Row => order is null ? _position : order[_position];

        public override bool MoveNext()
        {
            if (_position + 1 >= view._features.Rows)
            {
                _position = view._features.Rows;
                return false;
            }

            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)Row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Name switch
            {
                FeaturesColumn => (ValueGetter<VBuffer<float>>)GetFeatures,
                LabelColumn when column.Type is BooleanDataViewType => (ValueGetter<bool>)((ref bool value) => value = view._labels![Row] > 0.5f),
                LabelColumn when column.Type is KeyDataViewType => (ValueGetter<uint>)((ref uint value) => value = (uint)view._labels![Row] + 1),
                LabelColumn => (ValueGetter<float>)((ref float value) => value = view._labels![Row]),
                WeightColumn => (ValueGetter<float>)((ref float value) => value = view._weights![Row]),
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.Name, "no such column"),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}");
        }

        private void GetFeatures(ref VBuffer<float> value)
        {
            var columns = view._features.Columns;
            var editor = VBufferEditor.Create(ref value, columns);
            view._features.Row(Row).CopyTo(editor.Values);
            value = editor.Commit();
        }
    }
}
