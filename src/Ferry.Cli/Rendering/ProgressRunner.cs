using Ferry.Data.Loading;
using Spectre.Console;

namespace Ferry.Cli.Rendering;

/// <summary>Runs long work under a Spectre.Console progress bar on standard error when a person is watching.</summary>
internal static class ProgressRunner
{
    public static async Task<T> RunAsync<T>(CliConsole console, string description, Func<IProgress<LoadProgress>?, Task<T>> work)
    {
        if (!console.Interactive)
        {
            return await work(null);
        }

        return await console.Error.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: 1.0);
                var progress = new SynchronousProgress(p =>
                {
                    if (p.TotalBytes is > 0 and var total)
                    {
                        task.Value = Math.Min(1.0, (double)p.BytesRead / total);
                    }
                    else
                    {
                        task.IsIndeterminate = true;
                    }
                });
                var result = await work(progress);
                task.Value = 1.0;
                return result;
            });
    }

    // Progress<T> posts to the thread pool; the bar only needs the latest value, set in place.
    private sealed class SynchronousProgress(Action<LoadProgress> report) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value) => report(value);
    }
}
