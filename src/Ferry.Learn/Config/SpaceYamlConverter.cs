using Ferry.Learn.Search;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Ferry.Learn.Config;

/// <summary>
/// Reads <c>space:</c> (learner → hyperparameter → value or list) into <see cref="SpaceOverride"/>s that remember their
/// lines, so a wrong learner, hyperparameter or value found later, against the zoo, is reported where it is written.
/// </summary>
internal sealed class SpaceYamlConverter(string source) : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(IReadOnlyList<SpaceOverride>);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return IsEmpty(scalar) ? null : throw Problem(scalar, "space: give learners with their hyperparameters, such as `lightgbm: {num_leaves: [8, 64]}`");
        }

        var overrides = new List<SpaceOverride>();
        var learners = new HashSet<string>(StringComparer.Ordinal);
        Require<MappingStart>(parser, "space: give learners with their hyperparameters, such as `lightgbm: {num_leaves: [8, 64]}`");
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var learner = Require<Scalar>(parser, "space: each key is a learner's name");
            if (!learners.Add(learner.Value))
            {
                throw Problem(learner, $"space.{learner.Value} is given twice; keep one");
            }

            if (parser.TryConsume<Scalar>(out var nothing) && IsEmpty(nothing))
            {
                continue;
            }

            if (nothing is not null)
            {
                throw Problem(nothing, $"space.{learner.Value}: give hyperparameters under the learner, such as `learning_rate: 0.05`");
            }

            Require<MappingStart>(parser, $"space.{learner.Value}: give hyperparameters under the learner, such as `learning_rate: 0.05`");
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var name = Require<Scalar>(parser, $"space.{learner.Value}: each key is a hyperparameter's name");
                overrides.Add(ReadValue(parser, learner, name));
            }
        }

        return overrides;
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
        throw new NotSupportedException("ferry.yaml is written from its template, not serialised");

    private SpaceOverride ReadValue(IParser parser, Scalar learner, Scalar name)
    {
        var path = $"space.{learner.Value}.{name.Value}";
        if (parser.TryConsume<Scalar>(out var value))
        {
            return IsEmpty(value)
                ? throw Problem(value, $"{path} has no value; give a value, a [min, max] range or a list of choices")
                : new SpaceOverride(learner.Value, name.Value, [value.Value], false, At(name), At(learner));
        }

        Require<SequenceStart>(parser, $"{path}: give a value, a [min, max] range or a list of choices");
        var items = new List<string>();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(Require<Scalar>(parser, $"{path}: a list holds plain values, such as [8, 64] or [ce, focal]").Value);
        }

        return new SpaceOverride(learner.Value, name.Value, items, true, At(name), At(learner));
    }

    private SourceLocation At(ParsingEvent e) => new(source, e.Start.Line);

    private static bool IsEmpty(Scalar scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null";

    private static T Require<T>(IParser parser, string message)
        where T : ParsingEvent
    {
        if (parser.TryConsume<T>(out var e))
        {
            return e;
        }

        throw Problem(parser.Current, message);
    }

    private static YamlException Problem(ParsingEvent? at, string message) =>
        at is null ? new YamlException(message) : new YamlException(at.Start, at.End, message);
}
