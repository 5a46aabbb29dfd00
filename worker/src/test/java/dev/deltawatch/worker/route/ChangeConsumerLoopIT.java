package dev.deltawatch.worker.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ChangeConsumerLoopIT {

    private static void produce(String topic, List<byte[]> values) throws Exception {
        try (KafkaProducer<String, byte[]> p = KafkaClients.producer(TestInfrastructure.kafka(), "loop-it", Map.of())) {
            for (byte[] v : values) {
                p.send(new ProducerRecord<>(topic, "k", v)).get();
            }
        }
    }

    private static byte[] delta(String table, String key, int n) {
        return Contracts.encode(RouteTableTest.delta(table, key, ChangeEvent.Operation.UPDATE));
    }

    private static ChangeConsumerLoop loop(String topic, String group, WorkDispatcher dispatcher, DeadLetters dlq) {
        return loop(topic, group, dispatcher, dlq, 10_000);
    }

    private static ChangeConsumerLoop loop(String topic, String group, WorkDispatcher dispatcher, DeadLetters dlq,
                                           int queueCapacity) {
        return new ChangeConsumerLoop(KafkaClients.consumer(TestInfrastructure.kafka(), group, Map.of()), topic,
                new RouteTable(ReferenceTarget.config()), new Coalescer(Duration.ofMillis(100), 1000, Clock.systemUTC()),
                dispatcher, dlq, queueCapacity, Duration.ofMillis(100), null);
    }

    private static Admin admin;

    /** Waits until the group's committed offsets on the topic, summed over its partitions, reach {@code offset}. */
    private static void awaitCommitted(String group, String topic, long offset) throws InterruptedException {
        await(() -> {
            try {
                return committed(group, topic) == offset;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static synchronized long committed(String group, String topic) throws Exception {
        if (admin == null) {
            admin = KafkaClients.admin(TestInfrastructure.kafka());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    @org.junit.jupiter.api.AfterAll
    static void closeAdmin() {
        if (admin != null) {
            admin.close();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(condition.getAsBoolean()).as("condition within 30 s").isTrue();
    }

    @Test
    void burstOfDeltaChangesBecomesFewBatchesAndPoisonGoesToDeadLettersWithTheLoopGoingOn() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("changes");
        String group = "loop-" + topic;
        List<byte[]> values = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add(delta("public.pfa_records", Integer.toString(i % 5), i));
        }
        values.add("{not json".getBytes(StandardCharsets.UTF_8));
        values.add(delta("public.invoices", "1", 0));
        values.add(delta("public.pfa_records", "99", 0));
        produce(topic, values);

        List<Work> dispatched = new CopyOnWriteArrayList<>();
        Map<String, String> dead = new ConcurrentHashMap<>();
        ChangeConsumerLoop loop = loop(topic, group, dispatched::addAll,
                (record, reason) -> dead.put(new String(record.value(), StandardCharsets.UTF_8), reason));
        Thread t = new Thread(loop, "loop-it");
        t.start();
        try {
            awaitCommitted(group, topic, values.size());
        } finally {
            loop.close();
            t.join(10_000);
        }
        Set<String> mergedRecords = new java.util.HashSet<>();
        dispatched.stream().filter(w -> w.group() == CheckGroup.MERGE_RECORDS)
                .forEach(w -> mergedRecords.addAll(w.scope().ids()));
        assertThat(mergedRecords).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "99");
        assertThat(dispatched.stream().filter(w -> w.group() == CheckGroup.MERGE_RECORDS).count())
                .as("201 changes coalesced into a few batches").isLessThan(10);
        assertThat(dispatched.stream().filter(w -> w.group() == CheckGroup.VERSION_PASSIVE)
                .mapToInt(w -> w.events().size()).sum()).isEqualTo(201);
        assertThat(dead).hasSize(2);
        assertThat(dead.values()).anySatisfy(r -> assertThat(r).contains("malformed JSON"))
                .anySatisfy(r -> assertThat(r).contains("public.invoices").contains("not watched"));
    }

    @Test
    void aStopReadsChecksAndCommitsWhatWasPublishedBeforeIt() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("changes-stop");
        String group = "loop-" + topic;
        produce(topic, List.of(delta("public.pfa_records", "1", 0), delta("public.pfa_records", "2", 0)));
        java.util.concurrent.CountDownLatch dispatching = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Set<String> checked = ConcurrentHashMap.newKeySet();
        ChangeConsumerLoop loop = loop(topic, group, work -> {
            dispatching.countDown();
            release.await();
            work.stream().filter(w -> w.group() == CheckGroup.MERGE_RECORDS).forEach(w -> checked.addAll(
                    w.scope().ids()));
        }, (r, reason) -> { });
        Thread t = new Thread(loop, "loop-it-stop");
        t.start();
        try {
            assertThat(dispatching.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // Published while the loop is busy with the first two: it has not read it when the stop comes.
            produce(topic, List.of(delta("public.pfa_records", "3", 0)));
            loop.close();
        } finally {
            release.countDown();
            t.join(10_000);
        }
        assertThat(t.isAlive()).isFalse();
        assertThat(checked).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(committed(group, topic)).as("committed: nothing left for the next owner to read again")
                .isEqualTo(3);
    }

    @Test
    void failedDispatchRewindsSoEveryChangeIsCheckedAtLeastOnce() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("changes-rewind");
        String group = "loop-" + topic;
        List<byte[]> values = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            values.add(delta("public.pfa_records", Integer.toString(i), i));
        }
        produce(topic, values);
        AtomicInteger failuresLeft = new AtomicInteger(2);
        Set<String> checked = ConcurrentHashMap.newKeySet();
        WorkDispatcher flaky = work -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("findings topic unavailable");
            }
            work.stream().filter(w -> w.scope().kind() == CheckScope.Kind.RECORDS)
                    .forEach(w -> checked.addAll(w.scope().ids()));
        };
        ChangeConsumerLoop loop = loop(topic, group, flaky, (r, reason) -> { });
        Thread t = new Thread(loop, "loop-it-rewind");
        t.start();
        try {
            awaitCommitted(group, topic, values.size());
        } finally {
            loop.close();
            t.join(10_000);
        }
        assertThat(checked).hasSize(50);
    }

    @Test
    void ddlOnDeltawatchsOwnSchemasIsIgnoredWithoutDeadLettersOrWarnings() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("changes-own");
        String group = "loop-" + topic;
        List<byte[]> values = List.of(
                Contracts.encode(RouteTableTest.ddl("CREATE TABLE", "table", "deltawatch.plan_baselines",
                        "deltawatch.plan_baselines")),
                Contracts.encode(ChangeEvent.schemaChange("0/4:0", new dev.deltawatch.contracts.SchemaChange(
                        "CREATE TABLE", "table", "deltawatch_probe.hermitage_g0", "deltawatch_probe",
                        "deltawatch_probe.hermitage_g0", "h"), new dev.deltawatch.contracts.SourcePosition("0/4", 1L,
                        java.time.Instant.EPOCH), java.time.Instant.EPOCH)),
                delta("public.pfa_records", "7", 0));
        produce(topic, values);
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                ChangeConsumerLoop.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        List<Work> dispatched = new CopyOnWriteArrayList<>();
        Map<String, String> dead = new ConcurrentHashMap<>();
        ChangeConsumerLoop loop = loop(topic, group, dispatched::addAll, (record, reason) -> dead.put(
                new String(record.value(), StandardCharsets.UTF_8), reason));
        Thread t = new Thread(loop, "loop-it-own");
        t.start();
        try {
            awaitCommitted(group, topic, values.size());
        } finally {
            loop.close();
            t.join(10_000);
            log.detachAppender(logged);
        }
        assertThat(dead).isEmpty();
        assertThat(logged.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
        assertThat(dispatched).extracting(Work::group).containsOnly(CheckGroup.MERGE_RECORDS,
                CheckGroup.VERSION_PASSIVE);
    }

    @Test
    void workersStartedTogetherRunOneBaselinePassEvenWhenPartitionZeroMoves() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("changes-baseline");
        String group = "loop-" + topic;
        produce(topic, List.of(delta("public.pfa_records", "1", 0)));
        AtomicInteger passes = new AtomicInteger();
        List<Work> byA = new CopyOnWriteArrayList<>();
        List<Work> byB = new CopyOnWriteArrayList<>();
        java.util.function.Supplier<List<Work>> baseline = () -> {
            passes.incrementAndGet();
            return List.of(new Work(CheckGroup.PLAN_AUDIT, CheckScope.all(),
                    dev.deltawatch.contracts.Trigger.schedule()));
        };
        ChangeConsumerLoop a = loop(topic, group, byA::addAll, (r, reason) -> { }).withStartupPass(baseline);
        ChangeConsumerLoop b = loop(topic, group, byB::addAll, (r, reason) -> { }).withStartupPass(baseline);
        Thread ta = new Thread(a, "loop-it-a");
        Thread tb = new Thread(b, "loop-it-b");
        ta.start();
        tb.start();
        java.util.function.Predicate<List<Work>> ranPass = l -> l.stream().anyMatch(w -> w.group() == CheckGroup.PLAN_AUDIT);
        try {
            await(() -> ranPass.test(byA) || ranPass.test(byB));
            Thread.sleep(3000); // both members have joined by now
            // Stop the one that ran the pass: the other takes partition 0 and must not run it again.
            ChangeConsumerLoop holder = ranPass.test(byA) ? a : b;
            holder.close();
            (holder == a ? ta : tb).join(10_000);
            Thread.sleep(6000);
        } finally {
            a.close();
            b.close();
            ta.join(10_000);
            tb.join(10_000);
        }
        List<Work> dispatched = new java.util.ArrayList<>(byA);
        dispatched.addAll(byB);
        assertThat(passes).as("baseline passes queued in the group").hasValue(1);
        assertThat(dispatched.stream().filter(w -> w.group() == CheckGroup.PLAN_AUDIT).count()).isEqualTo(1);
    }

    @Test
    void recordChecksOfAChangeRunWhileASlowCheckRunsAndOffsetsWaitForBoth() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("changes-lanes");
        String group = "loop-" + topic;
        produce(topic, List.of(delta("public.pfa_records", "1", 0)));
        java.util.concurrent.CountDownLatch slowRunning = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releaseSlow = new java.util.concurrent.CountDownLatch(1);
        List<Work> dispatched = new CopyOnWriteArrayList<>();
        WorkDispatcher dispatcher = work -> {
            if (work.stream().anyMatch(w -> w.group() == CheckGroup.PLAN_AUDIT)) {
                slowRunning.countDown();
                assertThat(releaseSlow.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
            dispatched.addAll(work);
        };
        ChangeConsumerLoop loop = loop(topic, group, dispatcher, (r, reason) -> { }).withStartupPass(() -> List.of(
                new Work(CheckGroup.PLAN_AUDIT, CheckScope.all(), dev.deltawatch.contracts.Trigger.schedule())));
        Thread t = new Thread(loop, "loop-it-lanes");
        t.start();
        try {
            assertThat(slowRunning.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            await(() -> dispatched.stream().anyMatch(w -> w.group() == CheckGroup.MERGE_RECORDS));
            assertThat(dispatched).as("the plan audit still runs").noneMatch(w -> w.group() == CheckGroup.PLAN_AUDIT);
            Thread.sleep(1000); // several polls and commit attempts
            assertThat(committed(group, topic)).as("no offset committed past the running plan audit's poll")
                    .isZero();
            produce(topic, List.of(delta("public.pfa_records", "2", 0)));
            await(() -> dispatched.stream().anyMatch(w -> w.group() == CheckGroup.MERGE_RECORDS
                    && w.scope().ids().contains("2")));
            releaseSlow.countDown();
            awaitCommitted(group, topic, 2);
        } finally {
            releaseSlow.countDown();
            loop.close();
            t.join(10_000);
        }
        assertThat(dispatched).filteredOn(w -> w.group() == CheckGroup.PLAN_AUDIT).hasSize(1);
    }

    @Test
    void aPlanAuditDoesNotWaitBehindTheLongProbesOfAWriteFunctionChange() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("changes-probe-lane");
        String group = "loop-" + topic;
        java.util.concurrent.CountDownLatch probesRunning = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releaseProbes = new java.util.concurrent.CountDownLatch(1);
        List<Work> dispatched = new CopyOnWriteArrayList<>();
        WorkDispatcher dispatcher = work -> {
            if (work.stream().anyMatch(w -> w.group() == CheckGroup.LOCK_PROBES)) {
                assertThat(work).as("the long probes run apart").allMatch(w -> w.group().runsLong());
                probesRunning.countDown();
                assertThat(releaseProbes.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
            dispatched.addAll(work);
        };
        // The write function redefined: lock probes and edge cases (long), schema hygiene (quick).
        produce(topic, List.of(Contracts.encode(RouteTableTest.ddl("CREATE FUNCTION", "function",
                "public.pfa_update_delta(bigint,jsonb,integer)", null))));
        ChangeConsumerLoop loop = loop(topic, group, dispatcher, (r, reason) -> { });
        Thread t = new Thread(loop, "loop-it-probe-lane");
        t.start();
        try {
            assertThat(probesRunning.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            produce(topic, List.of(Contracts.encode(RouteTableTest.ddl("DROP INDEX", "index",
                    "public.idx_pfa_org_category", "public.pfa_records"))));
            await(() -> dispatched.stream().anyMatch(w -> w.group() == CheckGroup.PLAN_AUDIT));
            assertThat(dispatched).as("the probes still run").noneMatch(w -> w.group() == CheckGroup.LOCK_PROBES);
            releaseProbes.countDown();
            awaitCommitted(group, topic, 2);
        } finally {
            releaseProbes.countDown();
            loop.close();
            t.join(10_000);
        }
        assertThat(dispatched).anyMatch(w -> w.group() == CheckGroup.LOCK_PROBES)
                .anyMatch(w -> w.group() == CheckGroup.HYGIENE_SCHEMA);
    }

    @Test
    void failedSlowBatchRewindsSoItsChangeIsReadAndCheckedAgain() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("changes-slow-rewind");
        String group = "loop-" + topic;
        List<byte[]> values = List.of(
                Contracts.encode(RouteTableTest.ddl("DROP INDEX", "index", "public.idx_pfa_org_category",
                        "public.pfa_records")),
                delta("public.pfa_records", "5", 0));
        produce(topic, values);
        AtomicInteger slowFailuresLeft = new AtomicInteger(1);
        List<Work> dispatched = new CopyOnWriteArrayList<>();
        WorkDispatcher flakySlow = work -> {
            if (work.stream().anyMatch(w -> w.group().slow()) && slowFailuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("findings topic unavailable");
            }
            dispatched.addAll(work);
        };
        ChangeConsumerLoop loop = loop(topic, group, flakySlow, (r, reason) -> { });
        Thread t = new Thread(loop, "loop-it-slow-rewind");
        t.start();
        try {
            awaitCommitted(group, topic, values.size());
        } finally {
            loop.close();
            t.join(10_000);
        }
        assertThat(slowFailuresLeft.get()).as("the slow batch failed once").isNegative();
        assertThat(dispatched).as("the index drop's plan audit ran after the rewind")
                .anyMatch(w -> w.group() == CheckGroup.PLAN_AUDIT);
        assertThat(dispatched).as("the record change was checked")
                .anyMatch(w -> w.group() == CheckGroup.MERGE_RECORDS && w.scope().ids().contains("5"));
    }

    @Test
    void aPassRunsOnALaneOfItsOwnChangedRecordsWaitForItButSlowChecksAndVersionsDoNot() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("changes-pass");
        String group = "loop-" + topic;
        java.util.concurrent.CountDownLatch passRunning = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releasePass = new java.util.concurrent.CountDownLatch(1);
        List<Work> dispatched = new CopyOnWriteArrayList<>();
        WorkDispatcher dispatcher = work -> {
            if (work.stream().anyMatch(ChangeConsumerLoopIT::isPass)) {
                assertThat(work).as("a pass runs alone on its lane").hasSize(1);
                passRunning.countDown();
                assertThat(releasePass.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
            dispatched.addAll(work);
        };
        // A queue of 10 records: the 50 changed below wait for the pass, and the index drop behind them is still read.
        ChangeConsumerLoop loop = loop(topic, group, dispatcher, (r, reason) -> { }, 10).withStartupPass(() -> List.of(
                new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), dev.deltawatch.contracts.Trigger.schedule()),
                new Work(CheckGroup.MERGE_BATTERY, CheckScope.all(), dev.deltawatch.contracts.Trigger.schedule())));
        Thread t = new Thread(loop, "loop-it-pass");
        t.start();
        try {
            assertThat(passRunning.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            await(() -> dispatched.stream().anyMatch(w -> w.group() == CheckGroup.MERGE_BATTERY));
            List<byte[]> edits = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                edits.add(delta("public.pfa_records", String.valueOf(100 + i), 0));
            }
            produce(topic, edits);
            await(() -> dispatched.stream().filter(w -> w.group() == CheckGroup.VERSION_PASSIVE)
                    .mapToInt(w -> w.scope().ids().size()).sum() == 50);
            Thread.sleep(500); // several polls: the consumer would pause here behind a queue of 10
            produce(topic, List.of(Contracts.encode(RouteTableTest.ddl("DROP INDEX", "index",
                    "public.idx_pfa_org_category", "public.pfa_records"))));
            await(() -> dispatched.stream().anyMatch(w -> w.group() == CheckGroup.PLAN_AUDIT));
            assertThat(dispatched).as("the changed records wait for the running pass")
                    .noneMatch(w -> w.group() == CheckGroup.MERGE_RECORDS);
            releasePass.countDown();
            await(() -> dispatched.stream().filter(w -> w.group() == CheckGroup.MERGE_RECORDS
                    && w.scope().kind() == CheckScope.Kind.RECORDS).mapToInt(w -> w.scope().ids().size()).sum() == 50);
        } finally {
            releasePass.countDown();
            loop.close();
            t.join(10_000);
        }
        List<CheckScope.Kind> mergeRuns = dispatched.stream().filter(w -> w.group() == CheckGroup.MERGE_RECORDS)
                .map(w -> w.scope().kind()).distinct().toList();
        assertThat(mergeRuns).as("the pass, then the records changed while it ran")
                .containsExactly(CheckScope.Kind.ALL, CheckScope.Kind.RECORDS);
    }

    @Test
    void aPassAskedForWhileAnotherRunsStartsAfterItAndAfterTheRecordsChangedMeanwhile() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("changes-deferred-pass");
        String group = "loop-" + topic;
        java.util.concurrent.CountDownLatch passRunning = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releasePass = new java.util.concurrent.CountDownLatch(1);
        List<Work> dispatched = new CopyOnWriteArrayList<>();
        WorkDispatcher dispatcher = work -> {
            if (work.stream().anyMatch(ChangeConsumerLoopIT::isPass) && passRunning.getCount() > 0) {
                passRunning.countDown();
                assertThat(releasePass.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
            dispatched.addAll(work);
        };
        ChangeConsumerLoop loop = loop(topic, group, dispatcher, (r, reason) -> { }).withStartupPass(() -> List.of(
                new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), dev.deltawatch.contracts.Trigger.schedule())));
        Thread t = new Thread(loop, "loop-it-deferred");
        t.start();
        try {
            assertThat(passRunning.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // The merge function redefined (a second pass is asked for), then a record edited.
            produce(topic, List.of(Contracts.encode(RouteTableTest.ddl("CREATE FUNCTION", "function",
                    "public.pfa_merge(jsonb,jsonb)", null))));
            await(() -> dispatched.stream().anyMatch(w -> w.group() == CheckGroup.MERGE_BATTERY));
            Thread.sleep(500); // the second pass's window passes: it waits for the lane, apart
            produce(topic, List.of(delta("public.pfa_records", "4", 0)));
            await(() -> dispatched.stream().anyMatch(w -> w.group() == CheckGroup.VERSION_PASSIVE));
            releasePass.countDown();
            await(() -> dispatched.stream().filter(ChangeConsumerLoopIT::isPass).count() == 2);
            awaitCommitted(group, topic, 2);
        } finally {
            releasePass.countDown();
            loop.close();
            t.join(10_000);
        }
        assertThat(dispatched.stream().filter(w -> w.group() == CheckGroup.MERGE_RECORDS).map(w -> w.scope().kind())
                .toList()).as("the first pass, the record edited while it ran, then the second pass")
                .containsExactly(CheckScope.Kind.ALL, CheckScope.Kind.RECORDS, CheckScope.Kind.ALL);
    }

    private static boolean isPass(Work w) {
        return w.group() == CheckGroup.MERGE_RECORDS && w.scope().kind() == CheckScope.Kind.ALL;
    }
}
