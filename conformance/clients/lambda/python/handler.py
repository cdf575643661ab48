"""A DynamoDB Streams handler built with Powertools for AWS Lambda (Python).

Its BatchProcessor reports partial batch failures: a record whose key starts
with "poison" fails, the others succeed, and the answer names the failed
records' sequence numbers in batchItemFailures. A batch where every record
fails is a function error (Powertools raises BatchProcessingError), so
Lambda retries it whole.

Each processed record is printed as one "processed {json}" line, so a test
reading the runtime's output sees what the handler received.
"""

import base64
import json
from datetime import datetime, timezone

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord):
    ddb = record.dynamodb
    # Powertools deserializes the AttributeValues (numbers to Decimal; B stays base64).
    pk = ddb.keys["pk"]
    image = ddb.new_image or ddb.old_image
    print("processed " + json.dumps({
        "pk": pk,
        "eventName": record.event_name.name,
        "sequenceNumber": ddb.sequence_number,
        # Epoch seconds (Powertools v3 gives them as a number).
        "created": datetime.fromtimestamp(ddb.approximate_creation_date_time, timezone.utc).isoformat(),
        "v": str(image.get("v")) if image else None,
        "blob": base64.b64decode(image["blob"]).decode() if image and "blob" in image else None,
        "source": record.event_source_arn,
    }), flush=True)
    if pk.startswith("poison"):
        raise ValueError("poison record " + pk)


def lambda_handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
