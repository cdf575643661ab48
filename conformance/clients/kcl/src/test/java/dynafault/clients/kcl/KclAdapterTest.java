package dynafault.clients.kcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.polling.DynamoDBStreamsPollingConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.NullMetricsFactory;

/**
 * The KCL (3.x) with the DynamoDB Streams Kinesis Adapter (2.x) consuming a
 * dynafault stream end to end: the lease table and the KCL's coordinator
 * tables live in dynafault, the worker checkpoints after every batch, and a
 * rollover and a split made through the admin API are followed. Then the
 * faults: iterators expired, GetRecords throttled, and a shard paused past
 * the 24 h retention (clock advanced 25 h). Every phase checks what the
 * application received against what was written and prints its figures.
 *
 * <p>The phases run in order against one worker and one table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KclAdapterTest {
    static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);

    final String endpoint = requireEnv("DYNAFAULT_ENDPOINT");
    final String table = "clients-kcl-" + System.currentTimeMillis();
    final String app = table + "-app";
    final Admin admin = new Admin(endpoint);
    final ObjectMapper json = new ObjectMapper();
    final Tracker tracker = new Tracker();
    /** Versions written per item, in order: what the application must see. */
    final Map<String, List<Long>> written = new TreeMap<>();
    final List<String> figures = new ArrayList<>();
    final Path kclLog = Path.of("target", "kcl.log");

    DynamoDbClient db;
    DynamoDbStreamsClient streams;
    DynamoDbAsyncClient dbAsync;
    CloudWatchAsyncClient cloudWatch;
    Scheduler scheduler;
    Thread schedulerThread;
    String streamArn;

    static String requireEnv(String name) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) throw new IllegalStateException(name + " is not set");
        return v;
    }

    @BeforeAll
    void start() throws Exception {
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCLIENTSKCL", "local"));
        URI uri = URI.create(endpoint);
        db = DynamoDbClient.builder().endpointOverride(uri).region(Region.US_EAST_1).credentialsProvider(creds).build();
        streams = DynamoDbStreamsClient.builder().endpointOverride(uri).region(Region.US_EAST_1)
                .credentialsProvider(creds).build();
        dbAsync = DynamoDbAsyncClient.builder().endpointOverride(uri).region(Region.US_EAST_1)
                .credentialsProvider(creds).build();
        // Metrics are off (NullMetricsFactory); the client points at dynafault
        // so that a call it made anyway would show rather than leave the machine.
        cloudWatch = CloudWatchAsyncClient.builder().endpointOverride(uri).region(Region.US_EAST_1)
                .credentialsProvider(creds).build();

        // Two shards from the start, so a rollover and a split can run side by side.
        admin.ok("POST", "/streams/" + table + "/shards", "{\"count\":2}");
        db.createTable(r -> r.tableName(table)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        streamArn = db.waiter().waitUntilTableExists(r -> r.tableName(table)).matched().response().orElseThrow()
                .table().latestStreamArn();

        var adapter = new AmazonDynamoDBStreamsAdapterClient(streams, Region.US_EAST_1);
        var tracker0 = StreamsSchedulerFactory.createSingleStreamTracker(streamArn,
                InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON));
        var cb = new ConfigsBuilder(tracker0, app, adapter, dbAsync, cloudWatch,
                "worker-" + UUID.randomUUID(), tracker);
        // ConfigsBuilder hands out a new config object per call: keep the one
        // that is tuned. Failover 5 s (lease renewal ~1.6 s, lease discovery
        // every 5 s), lease assignment every 2 s (default 2 x failover), worker metrics reported every second (the KCL 3 lease
        // assignment waits for a worker's first report), and no idle time
        // after a shard sync: adapter 2.0.1 builds its lease management
        // factory before it zeroes that setting, so the default 60 s sleep
        // would otherwise hold the first start for a minute.
        var leases = cb.leaseManagementConfig()
                .failoverTimeMillis(5_000)
                .leaseAssignmentIntervalMillis(2_000L)
                .shardSyncIntervalMillis(0);
        leases.workerUtilizationAwareAssignmentConfig().workerMetricsReporterFreqInMillis(1_000);
        // The adapter's recommended polling: up to 1000 records, 500 ms idle.
        var polling = new DynamoDBStreamsPollingConfig(adapter);
        polling.idleTimeBetweenReadsInMillis(500);
        polling.maxRecords(1000);
        scheduler = StreamsSchedulerFactory.createScheduler(
                cb.checkpointConfig(),
                cb.coordinatorConfig(),
                leases,
                cb.lifecycleConfig(),
                cb.metricsConfig().metricsFactory(new NullMetricsFactory()),
                cb.processorConfig(),
                cb.retrievalConfig().retrievalSpecificConfig(polling),
                streams,
                Region.US_EAST_1);
        schedulerThread = new Thread(scheduler, "kcl-scheduler");
        schedulerThread.setDaemon(true);
        schedulerThread.start();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (scheduler != null) {
                try {
                    scheduler.startGracefulShutdown().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    scheduler.shutdown();
                }
            }
        } finally {
            writeFigures();
            for (String t : List.of(table, app, app + "-CoordinatorState", app + "-WorkerMetricStats")) {
                try {
                    db.deleteTable(r -> r.tableName(t));
                } catch (RuntimeException ignored) {
                    // not created or already gone
                }
            }
        }
    }

    void writeFigures() throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "kcl-figures.txt"), figures);
        figures.forEach(System.out::println);
    }

    void figure(String line) {
        figures.add(line);
        System.out.println("kcl: " + line);
    }

    /** Writes the next version of each item (PutItem of {id, v}). */
    void writeVersions(String prefix, int items) {
        for (int i = 0; i < items; i++) {
            String id = prefix + "-" + i;
            List<Long> versions = written.computeIfAbsent(id, k -> new ArrayList<>());
            long v = versions.size() + 1;
            db.putItem(r -> r.tableName(table).item(Map.of(
                    "id", AttributeValue.fromS(id), "v", AttributeValue.fromN(Long.toString(v)))));
            versions.add(v);
        }
    }

    int writtenCount() {
        return written.values().stream().mapToInt(List::size).sum();
    }

    static void waitFor(String what, Duration timeout, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + ": " + what);
            Thread.sleep(100);
        }
    }

    /** Per item, the versions the application received, in delivery order. */
    Map<String, List<Long>> received(Set<String> ids) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (Tracker.Seen s : tracker.snapshot()) {
            if (ids.contains(s.id())) out.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s.version());
        }
        return out;
    }

    /** Waits until every written version of the items was received, then checks each came once, in order. */
    void assertReceivedOnceInOrder(Set<String> ids, String phase) throws InterruptedException {
        Map<String, List<Long>> want = new TreeMap<>();
        ids.forEach(id -> want.put(id, written.get(id)));
        int n = want.values().stream().mapToInt(List::size).sum();
        waitFor(phase + ": " + n + " changes received (have "
                        + received(ids).values().stream().mapToInt(List::size).sum() + ")",
                PHASE_TIMEOUT, () -> received(ids).values().stream().mapToInt(List::size).sum() >= n);
        Thread.sleep(1000); // a duplicate would arrive now
        assertEquals(want, received(ids), phase + ": every change once, in per-item order");
    }

    Set<String> idsWithPrefix(String prefix) {
        return written.keySet().stream().filter(id -> id.startsWith(prefix + "-")).collect(Collectors.toCollection(TreeSet::new));
    }

    List<JsonNode> shards() throws Exception {
        JsonNode s = json.readTree(admin.ok("GET", "/streams/" + table, null)).get("streams");
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode stream : s) {
            if (!stream.get("streamArn").asText().equals(streamArn)) continue;
            stream.get("shards").forEach(out::add);
        }
        return out;
    }

    List<String> openShards() throws Exception {
        return shards().stream().filter(n -> n.get("open").asBoolean()).map(n -> n.get("shardId").asText())
                .collect(Collectors.toList());
    }

    long logLines(String needle) throws IOException {
        if (!Files.exists(kclLog)) return 0;
        try (var lines = Files.lines(kclLog)) {
            return lines.filter(l -> l.contains(needle)).count();
        }
    }

    /** The lease table, read through DynamoDB: lease key -> checkpoint. */
    Map<String, String> leases() {
        Map<String, String> out = new TreeMap<>();
        db.scanPaginator(r -> r.tableName(app).consistentRead(true)).items().forEach(item ->
                out.put(item.get("leaseKey").s(), item.containsKey("checkpoint") ? item.get("checkpoint").s() : ""));
        return out;
    }

    @Test
    @Order(1)
    void endToEndWithRolloverAndSplit() throws Exception {
        Instant t0 = Instant.now();
        writeVersions("a", 30);
        waitFor("the worker took the first leases and received a record", PHASE_TIMEOUT,
                () -> !tracker.seen.isEmpty());
        Duration startup = Duration.between(t0, tracker.seen.get(0).at());
        writeVersions("a", 30);

        List<String> open = openShards();
        assertEquals(2, open.size(), "two open shards: " + open);
        JsonNode rolled = json.readTree(admin.ok("POST", "/streams/" + table + "/shards/" + open.get(0) + "/rollover", null));
        Instant rolledAt = Instant.now();
        JsonNode split = json.readTree(admin.ok("POST", "/streams/" + table + "/shards/" + open.get(1) + "/split", null));
        Instant splitAt = Instant.now();
        String rollChild = rolled.get("children").get(0).asText();
        List<String> splitChildren = new ArrayList<>();
        split.get("children").forEach(c -> splitChildren.add(c.asText()));
        assertEquals(2, splitChildren.size());

        writeVersions("a", 30);
        writeVersions("a", 30);
        assertReceivedOnceInOrder(idsWithPrefix("a"), "end to end");

        waitFor("records from the rollover's child", PHASE_TIMEOUT, () -> tracker.firstRecordAt.containsKey(rollChild));
        waitFor("records from both halves of the split", PHASE_TIMEOUT,
                () -> splitChildren.stream().allMatch(tracker.firstRecordAt::containsKey));
        Duration followRollover = Duration.between(rolledAt, tracker.firstRecordAt.get(rollChild));
        Duration followSplit = Duration.between(splitAt, splitChildren.stream().map(tracker.firstRecordAt::get)
                .max(Instant::compareTo).orElseThrow());

        // Parents before children: no record of a child before the parent's last.
        List<Tracker.Seen> seen = tracker.snapshot();
        assertParentFirst(seen, open.get(0), List.of(rollChild));
        assertParentFirst(seen, open.get(1), splitChildren);

        // The lease table lives in dynafault: closed parents are at SHARD_END,
        // the children at the sequence number of their last record.
        waitFor("parents checkpointed at SHARD_END", PHASE_TIMEOUT, () -> {
            Map<String, String> l = leases();
            return "SHARD_END".equals(l.get(open.get(0))) && "SHARD_END".equals(l.get(open.get(1)));
        });
        Map<String, String> leases = leases();
        Map<String, String> lastSeq = lastSequencePerShard(tracker.snapshot());
        waitFor("children checkpointed at their last record", PHASE_TIMEOUT, () -> {
            Map<String, String> l = leases();
            return lastSeq.entrySet().stream().filter(e -> !open.contains(e.getKey()))
                    .allMatch(e -> e.getValue().equals(l.get(e.getKey())));
        });
        assertTrue(db.listTables().tableNames().contains(app), "lease table " + app + " in dynafault");

        figure(String.format("end to end: %d changes to %d items over 2 shards + rollover + split (5 shards): "
                        + "%d received, each once, per-item order kept; %d checkpoints (+%d SHARD_END); "
                        + "lease table %s with %d leases %s",
                writtenCount(), written.size(), tracker.seen.size(), tracker.checkpoints.get(),
                tracker.shardEnds.get(), app, leases.size(), leases.keySet()));
        figure(String.format("first record %d ms after the first write (worker start, lease table creation, "
                        + "lease assignment); rollover followed in %d ms, split in %d ms (admin call to the "
                        + "child's first record)",
                startup.toMillis(), followRollover.toMillis(), followSplit.toMillis()));
    }

    static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n) + "…";
    }

    static void assertParentFirst(List<Tracker.Seen> seen, String parent, List<String> children) {
        int lastParent = -1;
        int firstChild = Integer.MAX_VALUE;
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).shardId().equals(parent)) lastParent = i;
            if (children.contains(seen.get(i).shardId())) firstChild = Math.min(firstChild, i);
        }
        assertTrue(lastParent < firstChild, parent + " finished before its children " + children);
    }

    static Map<String, String> lastSequencePerShard(List<Tracker.Seen> seen) {
        Map<String, String> out = new LinkedHashMap<>();
        seen.forEach(s -> out.put(s.shardId(), s.sequenceNumber()));
        return out;
    }

    @Test
    @Order(2)
    void expiredIterators() throws Exception {
        long before = logLines("ExpiredIteratorException");
        int seenBefore = tracker.seen.size();
        int checkpointsBefore = tracker.checkpoints.get();
        admin.ok("POST", "/streams/" + table + "/iterators/expire", null);
        Instant t = Instant.now();
        writeVersions("b", 40);
        assertReceivedOnceInOrder(idsWithPrefix("b"), "expired iterators");
        Duration took = Duration.between(t, tracker.seen.get(tracker.seen.size() - 1).at());
        long expiredSeen = logLines("ExpiredIteratorException") - before;
        assertEquals(seenBefore + 40, tracker.seen.size(), "nothing received twice after the expiry");
        assertTrue(expiredSeen > 0, "the KCL met ExpiredIteratorException");
        figure(String.format("expired iterators: every iterator expired, then 40 changes written: the KCL "
                        + "logged ExpiredIteratorException %d times, asked for new iterators after its last "
                        + "sequence number and received all 40 once in %d ms (%d checkpoints)",
                expiredSeen, took.toMillis(), tracker.checkpoints.get() - checkpointsBefore));
    }

    @Test
    @Order(3)
    void throttledGetRecords() throws Exception {
        String rule = "kcl-throttle-" + table;
        admin.ok("POST", "/faults", "{\"id\":\"" + rule + "\",\"target\":\"api\",\"match\":{\"table\":\"" + table
                + "\",\"operation\":[\"GetRecords\"]},\"action\":{\"type\":\"error\",\"code\":"
                + "\"LimitExceededException\"},\"when\":{\"times\":6}}");
        int seenBefore = tracker.seen.size();
        try {
            Instant t = Instant.now();
            writeVersions("c", 40);
            assertReceivedOnceInOrder(idsWithPrefix("c"), "throttled GetRecords");
            Duration took = Duration.between(t, tracker.seen.get(tracker.seen.size() - 1).at());
            JsonNode entries = json.readTree(admin.ok("GET", "/journal?rule=" + rule, null)).get("entries");
            assertEquals(6, entries.size(), "six GetRecords throttled: " + entries);
            for (JsonNode e : entries) {
                assertEquals("GetRecords", e.get("operation").asText());
                assertEquals("AKIDCLIENTSKCL", e.get("accessKeyId").asText());
            }
            assertEquals(seenBefore + 40, tracker.seen.size(), "nothing received twice after the throttling");
            figure(String.format("throttled GetRecords: 6 GetRecords answered LimitExceededException (journal: "
                    + "6 firings): the KCL backed off and retried the same iterator; all 40 changes "
                    + "received once in %d ms", took.toMillis()));
        } finally {
            admin.call("DELETE", "/faults/" + rule, null);
        }
    }

    @Test
    @Order(4)
    void shardPausedPastRetention() throws Exception {
        List<String> open = openShards();
        for (String s : open) admin.ok("POST", "/streams/" + table + "/shards/" + s + "/pause", null);
        int seenBefore = tracker.seen.size();
        long trimmedBefore = logLines("TrimmedDataAccessException");
        long expiredBefore = logLines("ExpiredIteratorException");
        writeVersions("d", 20);
        Thread.sleep(2000);
        assertEquals(seenBefore, tracker.seen.size(), "paused shards deliver nothing");

        // 25 h of clock time: past the 24 h retention of the paused records.
        JsonNode clock = json.readTree(admin.ok("POST", "/clock", "{\"advance\":\"25h\"}"));
        for (String s : open) admin.call("POST", "/streams/" + table + "/shards/" + s + "/resume", null);
        Instant t = Instant.now();
        writeVersions("e", 20);
        assertReceivedOnceInOrder(idsWithPrefix("e"), "after retention");

        Map<String, List<Long>> lost = received(idsWithPrefix("d"));
        int lostCount = 20 - lost.values().stream().mapToInt(List::size).sum();
        Duration took = Duration.between(t, tracker.seen.get(tracker.seen.size() - 1).at());
        long trimmedSeen = logLines("TrimmedDataAccessException") - trimmedBefore;
        long expiredSeen = logLines("ExpiredIteratorException") - expiredBefore;
        figure(String.format("shard paused past retention: %d shards paused, 20 changes written, clock "
                        + "advanced 25 h (now %s), shards resumed: the KCL received %d of the 20 and skipped "
                        + "%d trimmed records without telling the application (log: %d ExpiredIteratorException, "
                        + "%d TrimmedDataAccessException); the 20 changes written afterwards arrived once in %d ms",
                open.size(), clock.get("now").asText(), 20 - lostCount, lostCount, expiredSeen, trimmedSeen,
                took.toMillis()));
        assertEquals(20, lostCount, "retention trimmed every paused record before the KCL could read it");

        // dynafault's consumer oracle: what this reader (its access key id) missed, and why.
        JsonNode report = json.readTree(admin.ok("GET", "/consumers/AKIDCLIENTSKCL", null));
        JsonNode missed = report.get("missed");
        int missedTotal = 0;
        for (JsonNode n : missed) missedTotal += n.asInt();
        JsonNode rows = json.readTree(admin.ok("GET", "/consumers/AKIDCLIENTSKCL/missed", null));
        figure(String.format("missed-changes report (GET /_admin/consumers/AKIDCLIENTSKCL): missed %s, "
                        + "duplicates %d, order violations %d, lag %ss; GET .../missed lists %s",
                missed, report.get("duplicates") == null ? 0 : report.get("duplicates").asInt(),
                report.get("orderViolations") == null ? 0 : report.get("orderViolations").asInt(),
                report.get("lagSeconds"), abbreviate(rows.toString(), 300)));
        assertEquals(20, missedTotal, "the oracle names the 20 changes the KCL skipped: " + report);
        assertTrue(trimmedSeen > 0, "the KCL met TrimmedDataAccessException and skipped to the trim horizon");
    }
}
