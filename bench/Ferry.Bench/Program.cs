namespace Ferry.Bench;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["csv", ..]:
                return CsvLoadReport.Run();
            case ["tracking", ..]:
                return await TrackingBenchmark.RunAsync();
            case ["automl", .. var options]:
                return await AutomlBenchmark.RunAsync(options);
            case ["serving", .. var options]:
                return await ServingBenchmark.RunAsync(options);
            case ["--generate"]:
                Console.WriteLine(CsvBenchData.EnsureFile());
                return 0;
            case ["--peak", var file]:
                return await PeakMemory.MeasureLoadAsync(file);
            default:
                await Console.Error.WriteLineAsync("usage: Ferry.Bench csv | tracking | automl [--time SECONDS] [DATASET ...] | serving [--seconds S] [--concurrency N] | --peak FILE");
                return 2;
        }
    }
}
