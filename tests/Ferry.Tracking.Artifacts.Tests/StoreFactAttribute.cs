using Xunit.Abstractions;
using Xunit.Sdk;

namespace Ferry.Tracking.Artifacts.Tests;

/// <summary>
/// A fact of the store contract. Runs like <see cref="FactAttribute"/>, except that in a test class marked
/// with <see cref="SkippableStoreAttribute"/> whose store is switched off (for example FERRY_SKIP_S3=1)
/// it is reported as skipped with the reason; xunit 2 has no other way to skip inherited tests per class.
/// </summary>
[XunitTestCaseDiscoverer("Ferry.Tracking.Artifacts.Tests.StoreTestDiscoverer", "Ferry.Tracking.Artifacts.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>A theory of the store contract; skipped like <see cref="StoreFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Ferry.Tracking.Artifacts.Tests.StoreTestDiscoverer", "Ferry.Tracking.Artifacts.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

/// <summary>Names a static string property of the test class that gives a skip reason, or null to run.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SkippableStoreAttribute(string skipReasonProperty) : Attribute
{
    public string SkipReasonProperty { get; } = skipReasonProperty;
}

public sealed class StoreTestDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var reason = SkipReason(testMethod.TestClass.Class.ToRuntimeType());
        if (reason is not null)
        {
            return [new SkippedTestCase(diagnostics, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
        }

        IXunitTestCaseDiscoverer inner = factAttribute is ReflectionAttributeInfo { Attribute: TheoryAttribute }
            ? new TheoryDiscoverer(diagnostics)
            : new FactDiscoverer(diagnostics);
        return inner.Discover(discoveryOptions, testMethod, factAttribute);
    }

    internal static string? SkipReason(Type? testClass)
    {
        var marker = testClass?.GetCustomAttributes(typeof(SkippableStoreAttribute), inherit: true).OfType<SkippableStoreAttribute>().FirstOrDefault();
        return marker is null ? null : testClass!.GetProperty(marker.SkipReasonProperty)?.GetValue(null) as string;
    }
}

/// <summary>
/// A test case reported as skipped. The reason is worked out again from the test class whenever xunit
/// asks, rather than stored, because xunit may ask while de-serializing, before any field is restored.
/// </summary>
public sealed class SkippedTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer", error: true)]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(diagnostics, display, options, method)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        StoreTestDiscoverer.SkipReason(TestMethod.TestClass.Class.ToRuntimeType()) ?? "skipped";
}
