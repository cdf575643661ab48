// A DynamoDB stream handler as teams write it with Powertools for AWS
// Lambda (TypeScript): the batch processor calls recordHandler for each
// record and answers Lambda's partial batch response, naming the records
// that threw. Run by conformance/lambda_node_test.go under the Node.js
// runtime interface client (aws-lambda-ric) and the Runtime Interface
// Emulator. A record whose new image has fail = "always" throws; every
// record handled is POSTed to $DYNAFAULT_RECORDER when it is set.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

const recordHandler = async (record) => {
  const image = record.dynamodb?.NewImage ?? {};
  const url = process.env.DYNAFAULT_RECORDER;
  if (url) {
    await fetch(url, { method: 'POST', body: JSON.stringify(record) });
  }
  if (image.fail?.S === 'always') {
    throw new Error(`record ${record.dynamodb?.SequenceNumber} failed`);
  }
};

export const handler = async (event, context) =>
  processPartialResponse(event, recordHandler, processor, { context });
