#:project ../src/Ferry.Data/Ferry.Data.csproj

// Writes samples/digits.csv as an image folder, one subfolder per digit (0..9), 8x8 gray PNGs:
//   dotnet run samples/make-digits-images.cs [OUTPUT]      (default: samples/digits-images)
// then: ./ferry train samples/digits-images --time 60
using Ferry.Data.Images;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;

var here = Path.GetDirectoryName(Path.GetFullPath(AppContext.GetData("EntryPointFilePath") as string ?? "samples/make-digits-images.cs"))!;
var output = args.Length > 0 ? args[0] : Path.Combine(here, "digits-images");
var table = (await CsvTableReader.LoadAsync(Path.Combine(here, "digits.csv"), new TableLoadOptions(), null, CancellationToken.None)).Table;
var written = await ImageFolderWriter.WriteAsync(DigitsImages.FromTable(table), output, CancellationToken.None);
Console.WriteLine($"wrote {written.Count} images to {output}");
