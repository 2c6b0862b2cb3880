// TorchSharp keeps process-wide state (default dtype, grad mode, thread settings); classes running side by side
// failed once in CI inside an optimizer step, so this assembly's tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
