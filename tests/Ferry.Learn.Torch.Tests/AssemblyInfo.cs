// libtorch's thread count is process-wide and some tests set it, and the fits here are CPU-bound: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
