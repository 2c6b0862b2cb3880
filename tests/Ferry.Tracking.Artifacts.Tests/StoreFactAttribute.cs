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
            return [new SkippedTestCase(diagnostics, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }

        IXunitTestCaseDiscoverer inner = factAttribute is ReflectionAttributeInfo { Attribute: TheoryAttribute }
            ? new TheoryDiscoverer(diagnostics)
            : new FactDiscoverer(diagnostics);
        return inner.Discover(discoveryOptions, testMethod, factAttribute);
    }

    private static string? SkipReason(Type? testClass)
    {
        var marker = testClass?.GetCustomAttributes(typeof(SkippableStoreAttribute), inherit: true).OfType<SkippableStoreAttribute>().FirstOrDefault();
        return marker is null ? null : testClass!.GetProperty(marker.SkipReasonProperty)?.GetValue(null) as string;
    }
}

/// <summary>A test case reported as skipped with a reason decided at discovery.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    private string _reason = "";

    [Obsolete("Called by the de-serializer", error: true)]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string reason)
        : base(diagnostics, display, options, method)
    {
        _reason = reason;
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("Reason", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        base.Deserialize(data);
        _reason = data.GetValue<string>("Reason");
    }
}
