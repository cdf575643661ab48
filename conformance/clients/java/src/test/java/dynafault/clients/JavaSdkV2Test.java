package dynafault.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardFilterType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The AWS SDK for Java v2 against a running dynafault (DYNAFAULT_ENDPOINT): a
 * table with a stream and a GSI, writes through the enhanced client, a
 * transaction (committed and cancelled), queries on the table and the GSI,
 * the stream read with its images and followed across a rollover with
 * ShardFilter, and injected faults reaching the SDK's typed exceptions.
 *
 * <p>The steps run in order and build on each other's state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JavaSdkV2Test {
    // DynamoDB's message for ProvisionedThroughputExceededException.
    static final String THROTTLE_MESSAGE = "The level of configured provisioned throughput for the table was exceeded. "
            + "Consider increasing your provisioning level with the UpdateTable API.";

    final String endpoint = requireEnv("DYNAFAULT_ENDPOINT");
    final String table = "clients-java-" + System.currentTimeMillis();
    final Admin admin = new Admin(endpoint);
    final ObjectMapper json = new ObjectMapper();

    DynamoDbClient db;
    DynamoDbStreamsClient streams;
    DynamoDbEnhancedClient enhanced;
    DynamoDbTable<Purchase> orders;
    String streamArn;

    static String requireEnv(String name) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) throw new IllegalStateException(name + " is not set");
        return v;
    }

    @BeforeAll
    void clients() {
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCLIENTSJAVA", "local"));
        // No retries, so an injected error reaches the caller on the first attempt.
        db = DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(creds)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        streams = DynamoDbStreamsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(creds)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(db).build();
        orders = enhanced.table(table, TableSchema.fromBean(Purchase.class));
    }

    @AfterAll
    void dropTable() {
        try {
            db.deleteTable(r -> r.tableName(table));
        } catch (RuntimeException ignored) {
            // the table may not exist when an early step failed
        }
        db.close();
        streams.close();
    }

    @Test
    @Order(1)
    void createTableWithStreamAndGsi() throws Exception {
        db.createTable(r -> r.tableName(table)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("customer").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("createdAt").attributeType(ScalarAttributeType.N).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName("byCustomer")
                        .keySchema(
                                KeySchemaElement.builder().attributeName("customer").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("createdAt").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        // The SDK's waiter polls DescribeTable until ACTIVE.
        TableDescription desc = db.waiter().waitUntilTableExists(r -> r.tableName(table))
                .matched().response().orElseThrow().table();
        assertEquals(TableStatus.ACTIVE, desc.tableStatus());
        assertEquals(1, desc.globalSecondaryIndexes().size());
        assertEquals("byCustomer", desc.globalSecondaryIndexes().get(0).indexName());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, desc.streamSpecification().streamViewType());
        streamArn = desc.latestStreamArn();
        assertNotNull(streamArn, "LatestStreamArn");
        assertTrue(streamArn.startsWith("arn:aws:dynamodb:us-east-1:"), streamArn);
    }

    @Test
    @Order(2)
    void enhancedClientWritesAndReads() {
        orders.putItem(new Purchase("o1", "ada", 100, "10.50", "NEW"));
        orders.putItem(new Purchase("o2", "ada", 200, "3", "NEW"));
        orders.putItem(new Purchase("o3", "grace", 150, "99.99", "NEW"));
        assertEquals(new Purchase("o1", "ada", 100, "10.5", "NEW"), orders.getItem(Key.builder().partitionValue("o1").build()));
        // Conditional put through the enhanced client: the item exists, so it fails.
        var dup = new Purchase("o1", "mallory", 1, "0", "NEW");
        var err = assertThrows(software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException.class,
                () -> orders.putItem(r -> r.item(dup)
                        .conditionExpression(Expression.builder().expression("attribute_not_exists(id)").build())));
        assertEquals(400, err.statusCode());
        assertEquals("ada", orders.getItem(Key.builder().partitionValue("o1").build()).getCustomer());
    }

    @Test
    @Order(3)
    void transactionCommitsAndCancels() {
        // Committed: o2 paid, o4 added, o3 checked.
        enhanced.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                .addUpdateItem(orders, new Purchase("o2", "ada", 200, "3", "PAID"))
                .addPutItem(orders, new Purchase("o4", "grace", 300, "1", "NEW"))
                .addConditionCheck(orders, ConditionCheck.builder()
                        .key(Key.builder().partitionValue("o3").build())
                        .conditionExpression(Expression.builder().expression("attribute_exists(id)").build())
                        .build())
                .build());
        assertEquals("PAID", orders.getItem(Key.builder().partitionValue("o2").build()).getStatus());
        assertNotNull(orders.getItem(Key.builder().partitionValue("o4").build()));

        // Cancelled: the condition on the missing o9 fails, o1's delete does not happen.
        var err = assertThrows(TransactionCanceledException.class,
                () -> enhanced.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                        .addDeleteItem(orders, Key.builder().partitionValue("o1").build())
                        .addConditionCheck(orders, ConditionCheck.builder()
                                .key(Key.builder().partitionValue("o9").build())
                                .conditionExpression(Expression.builder().expression("attribute_exists(id)").build())
                                .build())
                        .build()));
        assertEquals(List.of("None", "ConditionalCheckFailed"),
                err.cancellationReasons().stream().map(CancellationReason::code).collect(Collectors.toList()));
        assertTrue(err.getMessage().startsWith(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"),
                err.getMessage());
        assertNotNull(orders.getItem(Key.builder().partitionValue("o1").build()), "o1 survived the cancelled transaction");

        // A delete, so the stream has a REMOVE.
        Purchase gone = orders.deleteItem(Key.builder().partitionValue("o4").build());
        assertEquals("grace", gone.getCustomer());
    }

    @Test
    @Order(4)
    void queriesOnTableAndIndex() {
        List<Purchase> byId = orders.query(QueryConditional.keyEqualTo(Key.builder().partitionValue("o2").build()))
                .items().stream().collect(Collectors.toList());
        assertEquals(List.of(new Purchase("o2", "ada", 200, "3", "PAID")), byId);

        DynamoDbIndex<Purchase> byCustomer = orders.index("byCustomer");
        List<String> ada = new ArrayList<>();
        for (Page<Purchase> page : byCustomer.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue("ada").build()))
                .limit(1) // one item per page: the SDK follows LastEvaluatedKey
                .build())) {
            page.items().forEach(o -> ada.add(o.getId()));
        }
        assertEquals(List.of("o1", "o2"), ada);

        List<String> recentAda = byCustomer.query(QueryEnhancedRequest.builder()
                        .queryConditional(QueryConditional.sortGreaterThan(
                                Key.builder().partitionValue("ada").sortValue(150).build()))
                        .scanIndexForward(false)
                        .build())
                .stream().flatMap(p -> p.items().stream()).map(Purchase::getId).collect(Collectors.toList());
        assertEquals(List.of("o2"), recentAda);
    }

    /** Reads a shard from TRIM_HORIZON until an empty page after at least min records. */
    List<Record> readShard(String shardId, int min) {
        String it = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < 20 && it != null; i++) {
            final String cur = it;
            GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(cur));
            out.addAll(page.records());
            if (page.records().isEmpty() && out.size() >= min) break;
            it = page.nextShardIterator();
        }
        return out;
    }

    @Test
    @Order(5)
    void streamRecordsWithImages() {
        DescribeStreamResponse desc = streams.describeStream(r -> r.streamArn(streamArn));
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, desc.streamDescription().streamViewType());
        assertEquals(table, desc.streamDescription().tableName());
        List<Record> records = new ArrayList<>();
        for (Shard s : desc.streamDescription().shards()) {
            records.addAll(readShard(s.shardId(), 0));
        }
        // One record per change; the cancelled transaction and the failed conditional put wrote nothing.
        Map<String, List<String>> perItem = new java.util.TreeMap<>();
        for (Record r : records) {
            perItem.computeIfAbsent(r.dynamodb().keys().get("id").s(), k -> new ArrayList<>())
                    .add(r.eventNameAsString());
            assertEquals("aws:dynamodb", r.eventSource());
            assertEquals("us-east-1", r.awsRegion());
            assertTrue(r.dynamodb().sequenceNumber().matches("\\d{21,40}"), r.dynamodb().sequenceNumber());
            assertNotNull(r.dynamodb().approximateCreationDateTime());
        }
        assertEquals(Map.of(
                "o1", List.of("INSERT"),
                "o2", List.of("INSERT", "MODIFY"),
                "o3", List.of("INSERT"),
                "o4", List.of("INSERT", "REMOVE")), perItem);
        Record modify = records.stream()
                .filter(r -> r.eventName() == OperationType.MODIFY).findFirst().orElseThrow();
        assertEquals("NEW", modify.dynamodb().oldImage().get("status").s());
        assertEquals("PAID", modify.dynamodb().newImage().get("status").s());
        assertEquals(AttributeValue.fromN("3"), modify.dynamodb().newImage().get("total"));
        Record remove = records.stream()
                .filter(r -> r.eventName() == OperationType.REMOVE).findFirst().orElseThrow();
        assertEquals("grace", remove.dynamodb().oldImage().get("customer").s());
        assertTrue(remove.dynamodb().newImage().isEmpty(), "REMOVE has no NewImage");
    }

    @Test
    @Order(6)
    void rolloverFollowedWithShardFilter() throws Exception {
        Shard parent = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards().stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).findFirst().orElseThrow();
        JsonNode rolled = json.readTree(admin.ok("POST",
                "/streams/" + table + "/shards/" + parent.shardId() + "/rollover", null));
        String child = rolled.get("children").get(0).asText();
        orders.putItem(new Purchase("o5", "ada", 400, "7", "NEW"));

        var children = streams.describeStream(r -> r.streamArn(streamArn)
                .shardFilter(f -> f.type(ShardFilterType.CHILD_SHARDS).shardId(parent.shardId())))
                .streamDescription().shards();
        assertEquals(List.of(child), children.stream().map(Shard::shardId).collect(Collectors.toList()));
        assertEquals(parent.shardId(), children.get(0).parentShardId());
        Shard closed = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards().stream()
                .filter(s -> s.shardId().equals(parent.shardId())).findFirst().orElseThrow();
        assertNotNull(closed.sequenceNumberRange().endingSequenceNumber(), "the parent is closed");

        List<Record> after = readShard(child, 1);
        assertEquals(1, after.size());
        assertEquals("o5", after.get(0).dynamodb().keys().get("id").s());
        assertTrue(new BigDecimal(after.get(0).dynamodb().sequenceNumber())
                .compareTo(new BigDecimal(closed.sequenceNumberRange().endingSequenceNumber())) > 0,
                "child records come after the parent's last");
    }

    String addRule(String id, String operation, String action) throws Exception {
        admin.ok("POST", "/faults", "{\"id\":\"" + id + "\",\"target\":\"api\",\"match\":{\"table\":\"" + table
                + "\",\"operation\":[\"" + operation + "\"]},\"action\":" + action + ",\"when\":{\"times\":1}}");
        return id;
    }

    JsonNode journal(String ruleId) throws Exception {
        return json.readTree(admin.ok("GET", "/journal?rule=" + ruleId, null)).get("entries");
    }

    @Test
    @Order(7)
    void injectedFaultsReachTypedExceptions() throws Exception {
        String throttle = addRule("java-throttle-" + table, "PutItem",
                "{\"type\":\"error\",\"code\":\"ProvisionedThroughputExceededException\"}");
        try {
            var item = new Purchase("o6", "ada", 500, "1", "NEW");
            var err = assertThrows(ProvisionedThroughputExceededException.class, () -> orders.putItem(item));
            assertEquals(400, err.statusCode());
            assertEquals("ProvisionedThroughputExceededException", err.awsErrorDetails().errorCode());
            assertEquals(THROTTLE_MESSAGE, err.awsErrorDetails().errorMessage());
            assertTrue(err.isThrottlingException(), "the SDK classifies it as throttling");
            assertNotNull(err.requestId());
            assertNull(orders.getItem(Key.builder().partitionValue("o6").build()), "the throttled put wrote nothing");
            JsonNode entries = journal(throttle);
            assertEquals(1, entries.size(), entries.toString());
            assertEquals("PutItem", entries.get(0).get("operation").asText());
            assertEquals(err.requestId(), entries.get(0).get("requestId").asText(), "the journal names the request");
            assertEquals("AKIDCLIENTSJAVA", entries.get(0).get("accessKeyId").asText());
        } finally {
            admin.call("DELETE", "/faults/" + throttle, null);
        }

        String conflict = addRule("java-cancel-" + table, "TransactWriteItems",
                "{\"type\":\"error\",\"code\":\"TransactionCanceledException\","
                        + "\"cancellationReasons\":[{\"code\":\"TransactionConflict\"},{\"code\":\"None\"}]}");
        try {
            var err = assertThrows(TransactionCanceledException.class,
                    () -> enhanced.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                            .addPutItem(orders, new Purchase("o7", "ada", 600, "1", "NEW"))
                            .addPutItem(orders, new Purchase("o8", "ada", 700, "1", "NEW"))
                            .build()));
            assertEquals(List.of("TransactionConflict", "None"),
                    err.cancellationReasons().stream().map(CancellationReason::code).collect(Collectors.toList()));
            assertNull(orders.getItem(Key.builder().partitionValue("o7").build()));
        } finally {
            admin.call("DELETE", "/faults/" + conflict, null);
        }

        String ise = addRule("java-500-" + table, "GetItem", "{\"type\":\"error\",\"code\":\"InternalServerError\"}");
        try {
            var err = assertThrows(InternalServerErrorException.class,
                    () -> orders.getItem(Key.builder().partitionValue("o1").build()));
            assertEquals(500, err.statusCode());
        } finally {
            admin.call("DELETE", "/faults/" + ise, null);
        }
    }

    @Test
    @Order(8)
    void standardRetriesRideOutTwoThrottles() throws Exception {
        String id = "java-retry-" + table;
        admin.ok("POST", "/faults", "{\"id\":\"" + id + "\",\"target\":\"api\",\"match\":{\"table\":\"" + table
                + "\",\"operation\":[\"GetItem\"]},\"action\":{\"type\":\"error\",\"code\":"
                + "\"ProvisionedThroughputExceededException\"},\"when\":{\"times\":2}}");
        try (DynamoDbClient retrying = DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCLIENTSJAVA", "local")))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)) // 3 attempts
                .build()) {
            var got = retrying.getItem(r -> r.tableName(table).key(Map.of("id", AttributeValue.fromS("o1"))));
            assertEquals("ada", got.item().get("customer").s());
            assertEquals(2, journal(id).size(), "two throttled attempts, the third answered");
        } finally {
            admin.call("DELETE", "/faults/" + id, null);
        }
        assertFalse(json.readTree(admin.ok("GET", "/faults", null)).get("rules").toString().contains(id));
    }
}
