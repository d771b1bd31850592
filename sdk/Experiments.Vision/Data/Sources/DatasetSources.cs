using Experiments.Data;
using Experiments.Vision.Data;

// The downloadable data sets of this library, found by an experiment project's `data list` / `data fetch`.
[assembly: DatasetSource(typeof(FashionMnistSource))]
