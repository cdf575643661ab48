// A DynamoDB Streams handler built with Powertools for AWS Lambda
// (TypeScript): its BatchProcessor reports partial batch failures. A record
// whose key starts with "poison" fails, the others succeed, and the answer
// names the failed records' sequence numbers in batchItemFailures. A batch
// where every record fails is a function error (FullBatchFailureError).
//
// Each processed record is printed as one "processed {json}" line, so a test
// reading the runtime's output sees what the handler received.
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";

const processor = new BatchProcessor(EventType.DynamoDBStreams);

const recordHandler = async (record) => {
  const ddb = record.dynamodb;
  const pk = ddb.Keys.pk.S;
  const image = ddb.NewImage ?? ddb.OldImage;
  process.stdout.write(
    "processed " +
      JSON.stringify({
        pk,
        eventName: record.eventName,
        sequenceNumber: ddb.SequenceNumber,
        created: new Date(ddb.ApproximateCreationDateTime * 1000).toISOString(),
        v: image?.v?.N ?? null,
        blob: image?.blob ? Buffer.from(image.blob.B, "base64").toString() : null,
        source: record.eventSourceARN,
      }) +
      "\n",
  );
  if (pk.startsWith("poison")) throw new Error(`poison record ${pk}`);
};

export const handler = async (event, context) =>
  processPartialResponse(event, recordHandler, processor, { context });
