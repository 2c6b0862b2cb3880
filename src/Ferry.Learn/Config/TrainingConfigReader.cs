using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Ferry.Learn.Config;

/// <summary>Reads <c>ferry.yaml</c>: unknown keys and wrong types are refused with the line.</summary>
public static class TrainingConfigReader
{
    private static IDeserializer Yaml(string source) => new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithEnforceRequiredMembers()
        .WithTypeConverter(new SpaceYamlConverter(source))
        .Build();

    /// <summary>Reads a config file; an empty file is the all-defaults config.</summary>
    /// <exception cref="FerryException">CONFIG_NOT_FOUND, or CONFIG_INVALID with the file and line.</exception>
    public static async Task<TrainingConfig> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw FerryException.NotFound("CONFIG_NOT_FOUND", $"config file '{path}' does not exist; `ferry init` writes one");
        }

        return Parse(await File.ReadAllTextAsync(path, cancellationToken), path);
    }

    /// <summary>Parses config text; <paramref name="source"/> names it in errors.</summary>
    public static TrainingConfig Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        TrainingConfig? config;
        try
        {
            config = Yaml(source).Deserialize<TrainingConfig?>(text);
        }
        catch (YamlException e) when (Innermost(e) is { } space && space.Message.StartsWith("space", StringComparison.Ordinal))
        {
            // The space reader's own messages already name the setting.
            throw FerryException.Invalid("CONFIG_INVALID", space.Message, new SourceLocation(source, space.Start.Line));
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
            if (reason.Contains("not found on type", StringComparison.Ordinal))
            {
                reason = $"unknown setting '{KeyAt(text, e.Start.Line)}'; the settings are data, label, task, metric, time_seconds, include, exclude, space, split "
                    + "(test, validation, folds, group, time), ensemble, seed, deterministic and register (`ferry init` writes them all, commented)";
            }
            else if (KeyAt(text, e.Start.Line) is { } key)
            {
                reason = $"setting '{key}': {reason}";
            }

            throw FerryException.Invalid("CONFIG_INVALID", reason, new SourceLocation(source, e.Start.Line));
        }

        config ??= new TrainingConfig();
        Check(config, source);
        return config;
    }

    /// <summary>The innermost YAML error raised by <see cref="SpaceYamlConverter"/>, which the deserializer may wrap.</summary>
    private static SpaceProblem? Innermost(YamlException e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is YamlException yaml && yaml.InnerException is not YamlException)
            {
                var message = yaml.Message;
                var start = message.IndexOf("): ", StringComparison.Ordinal);
                return new SpaceProblem(start >= 0 && message.StartsWith('(') ? message[(start + 3)..] : message, yaml.Start);
            }
        }

        return null;
    }

    /// <summary>The key written on a 1-based line (<c>key: value</c>), if any.</summary>
    private static string? KeyAt(string text, long line)
    {
        var lines = text.Split('\n');
        if (line < 1 || line > lines.Length)
        {
            return null;
        }

        var content = lines[line - 1].Trim();
        var colon = content.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? content[..colon].TrimStart('-', ' ') : null;
    }

    private static void Check(TrainingConfig config, string source)
    {
        if (config.TimeSeconds is < 1)
        {
            throw Invalid(source, $"time_seconds is {config.TimeSeconds}; give a positive number of seconds");
        }

        if (config.Task is { } task && task is not ("binary" or "multiclass" or "regression"))
        {
            throw Invalid(source, $"task '{task}' is not known; use binary, multiclass or regression");
        }

        if (config.Split is { } split)
        {
            if (split.Test is <= 0 or >= 1 || split.Validation is <= 0 or >= 1)
            {
                throw Invalid(source, "split.test and split.validation are shares of the rows: give numbers between 0 and 1, such as 0.2");
            }

            if (split.Folds is < 2)
            {
                throw Invalid(source, $"split.folds is {split.Folds}; cross-validation needs at least 2 folds");
            }

            if (split.Group is not null && split.Time is not null)
            {
                throw Invalid(source, $"split.group ('{split.Group}') and split.time ('{split.Time}') are both set; choose one: group keeps each group in one part, time tests on the latest rows");
            }
        }
    }

    private static FerryException Invalid(string source, string message) =>
        FerryException.Invalid("CONFIG_INVALID", message, new SourceLocation(source));

    private sealed record SpaceProblem(string Message, Mark Start);
}
