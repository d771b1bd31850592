using Experiments.Benchmarks.Peer;

namespace Experiments.Benchmarks.Tests;

public class PeerProbeTests
{
    // What Debian 12's python3-torch 1.13.1 printed (the config shortened to the lines the parser reads).
    private const string DebianProbe =
        "some warning on stdout\n"
        + "PEER-PROBE {\"python\": \"3.11.2\", \"executable\": \"/usr/bin/python3\", \"torch\": \"1.13.0a0\", \"threads\": 2, \"mkldnn\": true, "
        + "\"mkl\": false, \"cuda\": false, \"config\": \"PyTorch built with:\\n  - GCC 12.2\\n  - Intel(R) MKL-DNN v2.6.3 (Git Hash N/A)\\n"
        + "  - OpenMP 201511 (a.k.a. OpenMP 4.5)\\n  - CPU capability usage: AVX2\\n  - Build settings: BLAS_INFO=generic, BUILD_TYPE=RelWithDebInfo, USE_MKLDNN=ON, \\n\", "
        + "\"torchvision\": \"0.14.1a0\", \"cpu_capability\": null}\n";

    [Fact]
    public void Reads_versions_blas_onednn_and_isa_from_the_build_config()
    {
        var probe = PeerProbe.Parse(DebianProbe)!;

        Assert.Equal("/usr/bin/python3", probe.Executable);
        Assert.Equal("3.11.2", probe.Python);
        Assert.Equal("1.13.0a0", probe.Torch);
        Assert.Equal("0.14.1a0", probe.Torchvision);
        Assert.Equal("generic", probe.Blas);
        Assert.Equal("2.6.3", probe.OneDnn);
        Assert.Equal("AVX2", probe.Isa);
        Assert.Equal(2, probe.Threads);
        Assert.False(probe.Cuda);
        Assert.Equal("Python 3.11.2 (/usr/bin/python3), torch 1.13.0a0, torchvision 0.14.1a0; BLAS generic, oneDNN 2.6.3, CPU kernels AVX2", probe.Describe());
    }

    [Fact]
    public void Prefers_the_runtime_cpu_capability_and_says_when_onednn_is_off()
    {
        const string output = "PEER-PROBE {\"python\": \"3.12.1\", \"executable\": \"/venv/bin/python3\", \"torch\": \"2.5.1+cpu\", \"threads\": 8, "
            + "\"mkldnn\": false, \"cuda\": true, \"config\": \"  - oneDNN v3.5.3\\n  - CPU capability usage: AVX2\\n BLAS_INFO=mkl, LAPACK_INFO=mkl\", "
            + "\"torchvision\": null, \"cpu_capability\": \"AVX512\"}";

        var probe = PeerProbe.Parse(output)!;

        Assert.Equal("AVX512", probe.Isa);
        Assert.Equal("off", probe.OneDnn);
        Assert.Equal("mkl", probe.Blas);
        Assert.Null(probe.Torchvision);
        Assert.True(probe.Cuda);
        Assert.Contains("torchvision not installed", probe.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_oneDNN_version_under_its_new_name()
    {
        var probe = PeerProbe.Parse("PEER-PROBE {\"torch\": \"2.5.1\", \"config\": \"  - Intel(R) oneDNN v3.5.3 (Git Hash 66f0cb9)\"}")!;

        Assert.Equal("3.5.3", probe.OneDnn);
        Assert.Null(probe.Blas);
        Assert.Null(probe.Isa);
    }

    [Fact]
    public void Output_without_a_probe_line_is_no_probe()
    {
        Assert.Null(PeerProbe.Parse("Traceback (most recent call last):\nModuleNotFoundError: No module named 'torch'\n"));
    }

    [Fact]
    public void A_broken_probe_line_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => PeerProbe.Parse("PEER-PROBE {\"torch\": "));
        Assert.Throws<FormatException>(() => PeerProbe.Parse("PEER-PROBE {\"python\": \"3.11\"}"));
    }

    [Fact]
    public void An_explicit_python_is_the_only_candidate()
    {
        Assert.Equal(["/opt/venv/bin/python"], PeerPython.Candidates("/opt/venv/bin/python", "/usr/bin:/bin", _ => true));
    }

    [Fact]
    public void Candidates_are_debians_python_then_python3_on_path_once_each_and_only_existing_ones()
    {
        var existing = new HashSet<string> { "/usr/bin/python3", "/root/.pyenv/shims/python3" };

        var candidates = PeerPython.Candidates(null, "/root/.pyenv/shims:/usr/local/bin:/usr/bin", existing.Contains);

        Assert.Equal(["/usr/bin/python3", "/root/.pyenv/shims/python3"], candidates);
    }

    [Fact]
    public void Protocol_lines_are_told_from_other_output()
    {
        Assert.Null(PeerLine.Parse("/usr/lib/python3/dist-packages/torchvision/io/image.py:13: UserWarning"));
        Assert.Equal(new PeerLine("UNSUPPORTED", "torchvision has no counterpart of 'resnet26d'"), PeerLine.Parse("PEER-UNSUPPORTED torchvision has no counterpart of 'resnet26d'"));
        Assert.Equal(new PeerLine("QUIT", ""), PeerLine.Parse("PEER-QUIT"));
    }

    [Fact]
    public void Ready_and_round_lines_carry_the_counts_and_the_timing()
    {
        var ready = PeerLine.Parse("PEER-READY {\"parameters\": 11708992, \"trained_parameters\": 11708990, \"device\": \"cpu\", \"threads\": 2}")!;
        var round = PeerLine.Parse("PEER-ROUND {\"images\": 512, \"seconds\": 1.6, \"extra_seconds\": 0.05}")!;

        Assert.Equal((11_708_992L, 11_708_990L), ready.Ready());
        var result = round.Round();
        Assert.Equal(512, result.Images);
        Assert.Equal(320, result.ImagesPerSecond, 6);
        Assert.Equal(0.05, result.EpochExtraSeconds);
    }
}
