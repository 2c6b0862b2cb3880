using System.Diagnostics;
using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace Ferry.Learn.Torch.Tests;

/// <summary>
/// libtorch works in this build's output: the build patched libLibTorchSharp.so where the system needs it. If the
/// patch is missing these fail with TORCH_UNAVAILABLE and the loader's own message.
/// </summary>
public sealed class TorchNativesTests
{
    [Fact]
    public void A_backward_pass_gives_the_analytic_gradient()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = nn.Linear(3, 1);
        var x = tensor(new float[] { 1, 2, 3, -1, 0, 4 }, [2, 3]);
        var y = tensor(new float[] { 0.5f, -2 }, [2, 1]);
        var error = layer.forward(x) - y;
        var loss = error.square().mean();
        loss.backward();

        // d/dW mean((xW^T + b - y)^2) = 2/N * error^T x; d/db = 2/N * sum(error).
        var e = error.detach().data<float>().ToArray();
        float[] expected = [.. Enumerable.Range(0, 3).Select(j => ((e[0] * new float[] { 1, 2, 3 }[j]) + (e[1] * new float[] { -1, 0, 4 }[j])) * 2 / 2)];
        var actual = layer.weight!.grad!.data<float>().ToArray();
        for (var j = 0; j < 3; j++)
        {
            Assert.Equal(expected[j], actual[j], 4);
        }

        Assert.Equal(e.Sum(), layer.bias!.grad!.item<float>(), 4);
    }

    [Fact]
    public async Task The_output_copy_is_patched_exactly_where_the_system_libstdcxx_lacks_the_version()
    {
        var output = Path.GetDirectoryName(typeof(TorchNativesTests).Assembly.Location)!;
        var natives = Path.Combine(output, "runtimes", "linux-x64", "native");
        var needsFix = !await SystemLibstdcxxHasAsync("GLIBCXX_3.4.32", Path.Combine(natives, "libLibTorchSharp.so"));
        Assert.Equal(needsFix, File.Exists(Path.Combine(natives, "libiosinit.so")));
    }

    [Fact]
    public async Task The_fix_script_patches_a_copy_once_and_never_writes_through_a_hard_link()
    {
        var output = Path.GetDirectoryName(typeof(TorchNativesTests).Assembly.Location)!;
        var natives = Path.Combine(output, "runtimes", "linux-x64", "native");
        var pristine = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(pristine), $"the TorchSharp package is not at {pristine}");

        var temp = Directory.CreateTempSubdirectory("ferry-torch-natives-");
        try
        {
            // A stand-in for the package cache, and an output folder whose copy is a hard link to it (as MSBuild's
            // hard-link option would make): the patch must replace the link, not change the cache's file.
            var cache = Directory.CreateDirectory(Path.Combine(temp.FullName, "cache")).FullName;
            var folder = Directory.CreateDirectory(Path.Combine(temp.FullName, "out", "runtimes", "linux-x64", "native")).FullName;
            File.Copy(pristine, Path.Combine(cache, "libLibTorchSharp.so"));
            foreach (var file in Directory.EnumerateFiles(natives).Where(f => Path.GetFileName(f).StartsWith("lib", StringComparison.Ordinal)
                && Path.GetFileName(f) is not ("libLibTorchSharp.so" or "libiosinit.so")))
            {
                File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(file)), file);
            }

            var lib = Path.Combine(folder, "libLibTorchSharp.so");
            await RunAsync("ln", Path.Combine(cache, "libLibTorchSharp.so"), lib);
            var cacheHash = Hash(Path.Combine(cache, "libLibTorchSharp.so"));
            var needsFix = !await SystemLibstdcxxHasAsync("GLIBCXX_3.4.32", lib);

            var first = await RunAsync(Path.Combine(TorchTestPaths.Root, "scripts", "fix-torchsharp-natives"), Path.Combine(temp.FullName, "out"));
            var patchedHash = Hash(lib);
            var second = await RunAsync(Path.Combine(TorchTestPaths.Root, "scripts", "fix-torchsharp-natives"), Path.Combine(temp.FullName, "out"));

            Assert.Equal(cacheHash, Hash(Path.Combine(cache, "libLibTorchSharp.so")));
            Assert.Equal(needsFix, first.Contains("patched", StringComparison.Ordinal));
            Assert.Equal(needsFix, patchedHash != cacheHash);
            Assert.Equal(needsFix, File.Exists(Path.Combine(folder, "libiosinit.so")));
            Assert.Equal("", second);
            Assert.Equal(patchedHash, Hash(lib));
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>Whether the libstdc++ the loader picks for <paramref name="library"/> defines <paramref name="version"/>.</summary>
    private static async Task<bool> SystemLibstdcxxHasAsync(string version, string library)
    {
        var line = (await RunAsync("ldd", library)).Split('\n').First(l => l.TrimStart().StartsWith("libstdc++.so.6 => ", StringComparison.Ordinal));
        var path = line.Split("=>")[1].Trim().Split(' ')[0];
        return File.ReadAllText(path, System.Text.Encoding.Latin1).Contains(version, StringComparison.Ordinal);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 || program == "ldd", $"{program} failed ({process.ExitCode}): {error}");
        return await output;
    }
}
