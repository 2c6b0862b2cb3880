using Ferry.Hosting.Wire;
using Ferry.Tracking;

namespace Ferry.Hosting.Endpoints;

/// <summary>What a tracking handler is given: the request message, the store and the request's cancellation.</summary>
/// <param name="Message">The request message (query string or JSON body).</param>
/// <param name="Store">The tracking store.</param>
/// <param name="CancellationToken">Cancelled when the client goes away.</param>
internal sealed record TrackingCall(WireMessage Message, ITrackingStore Store, CancellationToken CancellationToken);

/// <summary>One row of the route table: an HTTP verb, a path under <c>/api/2.0/mlflow/</c> and the handler that answers it.</summary>
/// <param name="Verb">The HTTP method: GET, POST, PATCH or DELETE.</param>
/// <param name="Path">The path after <c>/api/2.0/mlflow/</c>, for example <c>runs/create</c>.</param>
/// <param name="Handler">Turns the call into the response message (serialized as JSON).</param>
internal sealed record TrackingRoute(string Verb, string Path, Func<TrackingCall, Task<object>> Handler);
