using Experiments.Vision.Training;

namespace Experiments.Vision.Tests.Training;

public class ThreadPolicyTests
{
    [Theory]
    [InlineData(2, 2, 0.0, 2)]   // idle: one thread per core
    [InlineData(2, 2, 0.2, 2)]   // a light neighbour does not take a core
    [InlineData(2, 2, 0.3, 1)]   // more than a quarter of a core: that core is left to it
    [InlineData(2, 2, 1.0, 1)]   // one CPU-bound process
    [InlineData(2, 2, 3.5, 1)]   // more than the machine: still one thread
    [InlineData(16, 16, 3.0, 13)]
    [InlineData(16, 16, 3.3, 12)]
    [InlineData(16, 4, 0.0, 4)]  // never more than LibTorch's setting (OMP_NUM_THREADS, a runner's share)
    [InlineData(16, 4, 13.0, 3)]
    public void Leaves_the_cores_other_processes_use(int cores, int current, double others, int expected)
    {
        Assert.Equal(expected, ThreadPolicy.Decide(cores, current, others));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.5)]
    public void An_unreadable_sample_counts_as_idle(double others)
    {
        Assert.Equal(2, ThreadPolicy.Decide(2, 2, others));
    }

    [Fact]
    public void Rejects_a_machine_without_cores()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ThreadPolicy.Decide(0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThreadPolicy.Decide(2, 0, 0));
    }

    [Fact]
    public void Reads_busy_and_total_ticks_from_proc_stat()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        var (busy, total) = ThreadPolicy.ParseProcStat("cpu  4705 356 584 3699 23 0 23 5 7 0");

        Assert.Equal(4705 + 356 + 584 + 0 + 23 + 5, busy);
        Assert.Equal(busy + 3699 + 23, total);
    }

    [Fact]
    public void Rejects_a_line_that_is_not_the_cpu_total()
    {
        Assert.Throws<FormatException>(() => ThreadPolicy.ParseProcStat("cpu0 1 2 3 4 5 6 7"));
        Assert.Throws<FormatException>(() => ThreadPolicy.ParseProcStat("intr 12345"));
    }

    [Fact]
    public void Reads_a_process_user_and_system_ticks_even_when_its_name_has_spaces_and_parentheses()
    {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime …
        const string line = "1234 (dotnet (worker) 2) S 1 1234 1234 0 -1 4194560 5000 0 12 0 250 30 0 0 20 0 9 0";

        Assert.Equal(280, ThreadPolicy.ParseProcessTicks(line));
        Assert.Throws<FormatException>(() => ThreadPolicy.ParseProcessTicks("1234 (x) S 1 2"));
    }

    [Fact]
    public void Others_are_the_machines_busy_time_without_this_process()
    {
        var before = new CpuSample(MachineBusy: 1000, MachineTotal: 2000, Own: 100);
        var after = new CpuSample(MachineBusy: 1300, MachineTotal: 2400, Own: 200);

        // 300 busy ticks of 400, 100 of them ours: the others used 200 / 400 of 2 cores.
        Assert.Equal(1.0, ThreadPolicy.OthersBusyCores(before, after, cores: 2), 9);
        Assert.Equal(0, ThreadPolicy.OthersBusyCores(before, before, cores: 2));
    }
}
