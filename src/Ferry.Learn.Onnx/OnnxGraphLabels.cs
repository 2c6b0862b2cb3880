using System.Text;

namespace Ferry.Learn.Onnx;

/// <summary>
/// Reads the class labels an ONNX-ML classifier carries in its graph: the <c>classlabels_strings</c> or
/// <c>classlabels_int64s</c> attribute of a <c>ZipMap</c> node (skl2onnx's probability output), else of a
/// <c>LinearClassifier</c>, <c>TreeEnsembleClassifier</c> or <c>SVMClassifier</c>. ONNX Runtime does not expose graph
/// nodes, so this walks the protobuf itself, reading only <c>ModelProto.graph.node</c> and skipping everything else.
/// </summary>
internal static class OnnxGraphLabels
{
    // Larger files are networks whose weights dominate; they carry no ONNX-ML classifier labels worth reading them whole.
    private const long MaxBytes = 256L << 20;

    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;
    private const int AttributeName = 1;
    private const int AttributeInts = 8;
    private const int AttributeStrings = 9;

    private static readonly string[] Classifiers = ["LinearClassifier", "TreeEnsembleClassifier", "SVMClassifier"];

    /// <summary>The labels, in the order the node lists them, or null when the graph has none (or cannot be read).</summary>
    public static IReadOnlyList<string>? Read(string path)
    {
        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > MaxBytes)
            {
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return null;
        }

        try
        {
            return Find(bytes);
        }
        catch (InvalidDataException)
        {
            // ONNX Runtime loaded the model, so a part this reader does not understand only means no labels from here.
            return null;
        }
    }

    private static List<string>? Find(ReadOnlySpan<byte> model)
    {
        List<string>? zipMap = null;
        List<string>? classifier = null;
        var reader = new ProtoReader(model);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field != ModelGraph || wire != 2)
            {
                reader.Skip(wire);
                continue;
            }

            var graph = new ProtoReader(reader.Bytes());
            while (!graph.End)
            {
                var (graphField, graphWire) = graph.Tag();
                if (graphField != GraphNode || graphWire != 2)
                {
                    graph.Skip(graphWire);
                    continue;
                }

                var (op, labels) = Node(graph.Bytes());
                if (labels is null)
                {
                    continue;
                }

                if (op == "ZipMap")
                {
                    zipMap ??= labels;
                }
                else if (Classifiers.Contains(op))
                {
                    classifier ??= labels;
                }
            }
        }

        return zipMap ?? classifier;
    }

    private static (string Op, List<string>? Labels) Node(ReadOnlySpan<byte> node)
    {
        var op = "";
        List<string>? labels = null;
        var reader = new ProtoReader(node);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field == NodeOpType && wire == 2)
            {
                op = Encoding.UTF8.GetString(reader.Bytes());
            }
            else if (field == NodeAttribute && wire == 2)
            {
                labels = Attribute(reader.Bytes()) ?? labels;
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (op, labels);
    }

    private static List<string>? Attribute(ReadOnlySpan<byte> attribute)
    {
        var name = "";
        var ints = new List<long>();
        var strings = new List<string>();
        var reader = new ProtoReader(attribute);
        while (!reader.End)
        {
            var (field, wire) = reader.Tag();
            if (field == AttributeName && wire == 2)
            {
                name = Encoding.UTF8.GetString(reader.Bytes());
            }
            else if (field == AttributeInts && wire == 0)
            {
                ints.Add((long)reader.Varint());
            }
            else if (field == AttributeInts && wire == 2)
            {
                var packed = new ProtoReader(reader.Bytes());
                while (!packed.End)
                {
                    ints.Add((long)packed.Varint());
                }
            }
            else if (field == AttributeStrings && wire == 2)
            {
                strings.Add(Encoding.UTF8.GetString(reader.Bytes()));
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return name switch
        {
            "classlabels_strings" when strings.Count > 0 => strings,
            "classlabels_int64s" when ints.Count > 0 => [.. ints.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            _ => null,
        };
    }

    /// <summary>A protobuf wire-format reader over a span; malformed input is an <see cref="InvalidDataException"/>.</summary>
    private ref struct ProtoReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _position;

        public ProtoReader(ReadOnlySpan<byte> data)
        {
            _data = data;
            _position = 0;
        }

        public readonly bool End => _position >= _data.Length;

        public (int Field, int Wire) Tag()
        {
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    throw new InvalidDataException("truncated varint");
                }

                var b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new InvalidDataException("varint too long");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = Varint();
            if (length > (ulong)(_data.Length - _position))
            {
                throw new InvalidDataException("field runs past its message");
            }

            var bytes = _data.Slice(_position, (int)length);
            _position += (int)length;
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    Advance(8);
                    break;
                case 2:
                    Bytes();
                    break;
                case 5:
                    Advance(4);
                    break;
                default:
                    throw new InvalidDataException($"wire type {wire} is not supported");
            }
        }

        private void Advance(int count)
        {
            if (count > _data.Length - _position)
            {
                throw new InvalidDataException("field runs past its message");
            }

            _position += count;
        }
    }
}
