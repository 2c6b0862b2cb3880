using System.CommandLine;
using Ferry.Learn.Config;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry init</c>: writes a commented <c>ferry.yaml</c> for <c>ferry train -c</c>.</summary>
internal static class InitCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var data = new Option<string?>("--data") { Description = "The table or image folder the config trains on (written relative to the config)" };
        var label = new Option<string?>("--label") { Description = "The column to predict" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the config", DefaultValueFactory = _ => "ferry.yaml" };
        var force = new Option<bool>("--force") { Description = "Replace an existing file" };
        var command = new Command("init", "Write a commented ferry.yaml with every training setting and its default") { data, label, output, force };
        app.AddExamples(command, "ferry init", "ferry init --data churn.csv --label churned", "ferry train -c ferry.yaml");
        command.SetAction(async (parse, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(path) && !parse.GetValue(force))
            {
                throw FerryException.Usage("CONFIG_EXISTS", $"'{parse.GetValue(output)}' already exists; pass --force to replace it or -o to write elsewhere");
            }

            var dataPath = parse.GetValue(data);
            var relative = dataPath is null ? null : Path.GetRelativePath(Path.GetDirectoryName(path)!, Path.GetFullPath(dataPath)).Replace('\\', '/');
            var text = TrainingConfigTemplate.For(relative, parse.GetValue(label));
            // Checked before writing: the template must always be a config Ferry reads back.
            TrainingConfigReader.Parse(text, path);
            var partial = path + ".partial";
            try
            {
                await File.WriteAllTextAsync(partial, text, ct);
                File.Move(partial, path, overwrite: true);
            }
            finally
            {
                File.Delete(partial);
            }

            context.Console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/]. Edit it, then run [bold]ferry train -c {Markup.Escape(parse.GetValue(output)!)}[/].");
            return CliApp.Success;
        });
        return command;
    }
}
