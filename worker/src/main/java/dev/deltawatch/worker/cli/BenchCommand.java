package dev.deltawatch.worker.cli;


import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code deltawatch bench <what>}: each benchmark prints one JSON line with its figures and, where there is a
 * physical reference (PostgreSQL alone, COPY, pgbench), the ratio against it measured in the same run.
 * The benchmarks themselves live in {@code dev.deltawatch.worker.bench}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints one JSON line.",
        subcommands = {
                dev.deltawatch.worker.bench.FindingsBench.class,
                dev.deltawatch.worker.bench.LockProbesBench.class,
                dev.deltawatch.worker.bench.HygieneBench.class,
                dev.deltawatch.worker.bench.PlanBench.class,
                dev.deltawatch.worker.bench.CaptureBench.class,
                dev.deltawatch.worker.bench.MergeBench.class,
                dev.deltawatch.worker.bench.SeedBench.class,
                dev.deltawatch.worker.bench.LoadBench.class,
                dev.deltawatch.worker.bench.BudgetsBench.class,
                dev.deltawatch.worker.bench.DetectBench.class,
                dev.deltawatch.worker.bench.CrashBench.class,
                dev.deltawatch.worker.bench.CheckBench.class,
                dev.deltawatch.worker.bench.InitBench.class,
                dev.deltawatch.worker.bench.AlwaysOnBench.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
