// The streaming tests measure this process's allocations while uploading; other tests running at the
// same time would allocate into the same counter, so tests here run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
