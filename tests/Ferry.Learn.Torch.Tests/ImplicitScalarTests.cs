using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace Ferry.Learn.Torch.Tests;

/// <summary>
/// No Ferry code makes a TorchSharp Scalar implicitly, neither itself (<c>x.clamp(0, 1)</c>) nor through a TorchSharp
/// method that does (<c>tensor * 2.0</c>, the stock optimisers' <c>step</c>). Such a Scalar is referenced by nothing
/// once its handle is read, so a garbage collection during the native call can finalize and free it while libtorch
/// still reads it: "Expected false to be true … toFloat" under load, or a wrong value. Scalars must be explicit and
/// disposed after the call (<c>using var s = x.ToScalar();</c>), which keeps them alive through it.
/// </summary>
public sealed class ImplicitScalarTests
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    private readonly Dictionary<MethodBase, bool> _makesScalars = [];

    [Fact]
    public void No_ferry_method_makes_a_torch_scalar_implicitly()
    {
        var offenders = FerryAssemblies()
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            .SelectMany(method => Callees(method).Where(MakesScalars).Select(callee => $"{method.DeclaringType!.Name}.{method.Name} → {callee.DeclaringType!.Name}.{callee.Name}"))
            .Distinct()
            .ToList();

        Assert.True(offenders.Count == 0, "implicit Scalars made in: " + string.Join("; ", offenders));
    }

    [Fact]
    public void The_scan_sees_the_implicit_scalars_torch_makes()
    {
        // Without these the test above would pass by finding nothing.
        Assert.True(MakesScalars(typeof(torch.Tensor).GetMethod("op_Multiply", [typeof(torch.Tensor), typeof(double)])!));
        Assert.True(MakesScalars(typeof(Scalar).Assembly.GetType("TorchSharp.Modules.AdamW")!.GetMethod("step")!));
        Assert.True(MakesScalars(typeof(torch.Tensor).GetMethod("add", [typeof(torch.Tensor)])!));
        Assert.False(MakesScalars(typeof(torch.Tensor).GetMethod("mul_", [typeof(Scalar)])!));

        // Modules are called through the virtual forward, which the scan does not follow: these are the ones Ferry uses.
        Assert.False(MakesScalars(typeof(TorchSharp.Modules.Linear).GetMethod("forward")!));
        Assert.False(MakesScalars(typeof(TorchSharp.Modules.Conv2d).GetMethod("forward")!));
    }

    private static IEnumerable<Assembly> FerryAssemblies()
    {
        var paths = Directory.GetFiles(AppContext.BaseDirectory, "Ferry.*.dll")
            .Where(path => !Path.GetFileName(path).Contains(".Tests", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(paths, path => Path.GetFileName(path) == "Ferry.Learn.Torch.dll");
        return paths.Select(path => Assembly.LoadFrom(path));
    }

    /// <summary>
    /// Whether <paramref name="method"/> is Scalar's implicit conversion, or TorchSharp code that reaches it through
    /// its calls and the delegates it makes.
    /// </summary>
    private bool MakesScalars(MethodBase method)
    {
        if (method.DeclaringType == typeof(Scalar) && method.Name == "op_Implicit")
        {
            return true;
        }

        if (method.Module.Assembly != typeof(Scalar).Assembly)
        {
            return false;
        }

        if (_makesScalars.TryGetValue(method, out var known))
        {
            return known;
        }

        _makesScalars[method] = false;
        return _makesScalars[method] = Callees(method).Any(MakesScalars);
    }

    /// <summary>The methods <paramref name="method"/>'s IL calls, constructs or takes as a delegate.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } type ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += code.Size;
            if (code.OperandType == OperandType.InlineMethod)
            {
                var callee = Resolve(method.Module, BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                if (callee is not null)
                {
                    yield return callee;
                }
            }

            i += OperandSize(code.OperandType, il, i);
        }
    }

    private static MethodBase? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMethod(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            // Generic context the scan cannot supply; no Ferry or TorchSharp Scalar path goes through one.
            return null;
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
