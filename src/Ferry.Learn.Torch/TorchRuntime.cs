using System.Runtime.InteropServices;
using TorchSharp;

namespace Ferry.Learn.Torch;

/// <summary>
/// Loads libtorch once and turns a failed load into an error that says what to do. The usual cause on Debian 12
/// is a libLibTorchSharp.so that the build did not patch (see docs/decisions/0004-torchsharp-natives.md).
/// </summary>
internal static class TorchRuntime
{
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Makes sure libtorch is usable and applies <paramref name="options"/>.</summary>
    /// <exception cref="FerryException">TORCH_UNAVAILABLE when the native libraries cannot be loaded.</exception>
    public static void Prepare(TorchOptions options)
    {
        EnsureLoaded();
        if (options.Threads > 0 && torch.get_num_threads() != options.Threads)
        {
            torch.set_num_threads(options.Threads);
        }
    }

    /// <summary>Makes sure libtorch is usable.</summary>
    /// <exception cref="FerryException">TORCH_UNAVAILABLE when the native libraries cannot be loaded.</exception>
    public static void EnsureLoaded()
    {
        if (LoadFailure.Value is { } failure)
        {
            throw FerryException.Invalid(
                "TORCH_UNAVAILABLE",
                "TorchSharp's native libraries could not be loaded, so the mlp and cnn models cannot run. On Debian 12 the build patches " +
                "libLibTorchSharp.so in the output folder: run scripts/setup (it installs g++ and patchelf) and build again. " +
                $"The loader said: {LoaderReason() ?? Innermost(failure).Message}",
                inner: failure);
        }
    }

    private static Exception? TryLoad()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return null;
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            return e;
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    /// <summary>
    /// TorchSharp's own message blames a missing package; loading the shim directly gets the dynamic loader's
    /// reason (for example a missing GLIBCXX version), which is the one that says what to fix.
    /// </summary>
    private static string? LoaderReason()
    {
        try
        {
            NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return e.Message.Split('\n').FirstOrDefault(line => line.Contains("version `", StringComparison.Ordinal))?.Trim();
        }
    }
}
