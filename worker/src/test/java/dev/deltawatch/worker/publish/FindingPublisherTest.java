package dev.deltawatch.worker.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.findings.FindingLifecycle;
import dev.deltawatch.worker.findings.SampleFindings;
import dev.deltawatch.worker.infra.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingPublisherTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final InMemoryFindingSink sink = new InMemoryFindingSink();
    private final List<CheckRun> runs = new ArrayList<>();
    private final WorkerMetrics metrics = WorkerMetrics.create();

    private FindingPublisher publisher(FindingSink... sinks) {
        return new FindingPublisher(new FindingLifecycle(), FindingStateSource.none(), List.of(sinks), runs::add,
                metrics, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static CompletedRun run(CheckResult... results) {
        return CompletedRun.of("plan", "plan.seq-scan", SampleFindings.TARGET, Trigger.schedule(), CheckScope.all(),
                NOW.minusSeconds(1), Duration.ofMillis(300), List.of(results));
    }

    private double open(String severity) {
        return metrics.registry().get("deltawatch.findings.open").tags("family", "plan", "severity", severity)
                .gauge().value();
    }

    @Test
    void recordsEveryRunAndAnnouncesOnlyTransitions() {
        FindingPublisher p = publisher(sink);
        p.record(run(CheckResult.fail(SampleFindings.seqScan())));
        assertThat(open("BLOCKER")).isEqualTo(1);
        p.record(run(CheckResult.fail(SampleFindings.seqScan())));
        p.record(run(CheckResult.pass("seq-scan-large-relation", SampleFindings.QUERY)));
        assertThat(sink.statuses()).containsExactly(FindingStatus.OPENED, FindingStatus.RESOLVED);
        assertThat(runs).extracting(CheckRun::outcome).containsExactly(CheckRun.Outcome.FAILED,
                CheckRun.Outcome.FAILED, CheckRun.Outcome.PASSED);
        assertThat(open("BLOCKER")).isZero();
        assertThat(metrics.registry().get("deltawatch.checks").tags("outcome", "FAILED").counter().count())
                .isEqualTo(2);
    }

    @Test
    void anErroredRunNeitherOpensNorResolves() {
        FindingPublisher p = publisher(sink);
        p.record(run(CheckResult.fail(SampleFindings.seqScan())));
        p.record(CompletedRun.failed("plan", "plan.seq-scan", SampleFindings.TARGET, null, null, NOW,
                Duration.ofSeconds(30), "statement timeout after 30000 ms"));
        assertThat(sink.statuses()).containsExactly(FindingStatus.OPENED);
        assertThat(runs.get(1).outcome()).isEqualTo(CheckRun.Outcome.ERROR);
        assertThat(runs.get(1).error()).contains("statement timeout");
    }

    @Test
    void aTransitionTheTopicRefusedIsRetriedByTheNextRun() {
        FindingSink refusing = new FindingSink() {
            int calls;

            @Override
            public void publish(Finding finding) {
                if (calls++ == 0) {
                    throw new IllegalStateException("broker unavailable");
                }
                sink.publish(finding);
            }
        };
        FindingPublisher p = publisher(refusing);
        assertThatThrownBy(() -> p.record(run(CheckResult.fail(SampleFindings.seqScan()))))
                .hasMessageContaining("broker unavailable");
        p.record(run(CheckResult.fail(SampleFindings.seqScan())));
        assertThat(sink.statuses()).containsExactly(FindingStatus.OPENED);
    }

    @Test
    void detectionLatencyIsMeasuredFromTheChangeCommit() {
        FindingPublisher p = publisher(sink);
        p.record(run(CheckResult.fail(SampleFindings.seqScan())).withChangeCommittedAt(NOW.minusSeconds(4)));
        var timer = metrics.registry().get("deltawatch.detection.latency").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4.0);
    }
}
