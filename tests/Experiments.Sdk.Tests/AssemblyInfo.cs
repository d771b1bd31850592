// Every test here starts `dotnet` builds; on a small machine running them side by side only makes each slower.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
