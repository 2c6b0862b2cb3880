using Xunit.Abstractions;
using Xunit.Sdk;

namespace Ferry.Tracking.Tests;

/// <summary>
/// A fact of the store contract. It runs once per concrete store class; the PostgreSQL class is skipped,
/// with the reason, only when FERRY_SKIP_POSTGRES=1, so CI cannot skip it by forgetting the server.
/// </summary>
[XunitTestCaseDiscoverer("Ferry.Tracking.Tests.ContractFactDiscoverer", "Ferry.Tracking.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;

/// <summary>Marks a contract class that needs the PostgreSQL test server.</summary>
public interface INeedsPostgres;

/// <summary>
/// On a concrete contract class: facts that cannot hold for its store (for example a client of a server cannot reopen
/// or migrate the server's database), reported as skipped with the reason. The other stores still run them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class SkipContractFactsAttribute(string reason, params string[] methods) : Attribute
{
    public string Reason { get; } = reason;

    public IReadOnlyList<string> Methods { get; } = methods;
}

public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new ContractTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

public sealed class ContractTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public ContractTestCase()
    {
    }

    public ContractTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(sink, display, options, method)
    {
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute)
    {
        var testClass = TestMethod.TestClass.Class.ToRuntimeType();
        var skipped = testClass.GetCustomAttributes(typeof(SkipContractFactsAttribute), inherit: true).OfType<SkipContractFactsAttribute>()
            .FirstOrDefault(s => s.Methods.Contains(TestMethod.Method.Name));
        if (skipped is not null)
        {
            return skipped.Reason;
        }

        var needsPostgres = typeof(INeedsPostgres).IsAssignableFrom(testClass);
        return needsPostgres && Environment.GetEnvironmentVariable("FERRY_SKIP_POSTGRES") == "1"
            ? "FERRY_SKIP_POSTGRES=1: the PostgreSQL store tests were skipped on request"
            : base.GetSkipReason(factAttribute);
    }
}
