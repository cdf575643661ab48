package dynafault.clients.kcl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * What the KCL handed to the application: every record with its shard, in
 * delivery order, and every checkpoint the processors wrote. The processor is
 * the one the adapter documents: process a batch, then checkpoint it; at the
 * end of a shard checkpoint SHARD_END so the KCL moves on to the children.
 */
final class Tracker implements ShardRecordProcessorFactory {
    /** One change as the application saw it. */
    record Seen(String shardId, String sequenceNumber, String eventName, String id, long version, Instant at) {}

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger checkpoints = new AtomicInteger();
    final AtomicInteger shardEnds = new AtomicInteger();
    final AtomicInteger leasesLost = new AtomicInteger();
    final Map<String, Instant> firstRecordAt = new ConcurrentHashMap<>();
    final List<String> initialized = new CopyOnWriteArrayList<>();

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new Processor();
    }

    List<Seen> snapshot() {
        return new ArrayList<>(seen);
    }

    private final class Processor implements DynamoDBStreamsShardRecordProcessor {
        private String shardId;

        @Override
        public void initialize(InitializationInput in) {
            shardId = in.shardId();
            initialized.add(shardId + "@" + in.extendedSequenceNumber());
        }

        @Override
        public void processRecords(DynamoDBStreamsProcessRecordsInput in) {
            Instant now = Instant.now();
            for (DynamoDBStreamsClientRecord r : in.records()) {
                var rec = r.getRecord();
                Map<String, AttributeValue> image = rec.dynamodb().hasNewImage()
                        ? rec.dynamodb().newImage() : rec.dynamodb().oldImage();
                AttributeValue v = image.get("v");
                seen.add(new Seen(shardId, rec.dynamodb().sequenceNumber(), rec.eventNameAsString(),
                        rec.dynamodb().keys().get("id").s(), v == null ? -1 : Long.parseLong(v.n()), now));
                firstRecordAt.putIfAbsent(shardId, now);
            }
            if (!in.records().isEmpty()) {
                try {
                    in.checkpointer().checkpoint();
                    checkpoints.incrementAndGet();
                } catch (Exception e) {
                    // The lease moved or the worker is shutting down: the
                    // next owner resumes from the last checkpoint.
                }
            }
        }

        @Override
        public void leaseLost(LeaseLostInput in) {
            leasesLost.incrementAndGet();
        }

        @Override
        public void shardEnded(ShardEndedInput in) {
            try {
                in.checkpointer().checkpoint();
                shardEnds.incrementAndGet();
            } catch (Exception e) {
                throw new IllegalStateException("SHARD_END checkpoint of " + shardId, e);
            }
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput in) {
            try {
                in.checkpointer().checkpoint();
            } catch (Exception ignored) {
                // shutting down
            }
        }
    }
}
