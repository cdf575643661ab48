"""boto3 against a running dynafault.

A table with a stream, item writes, Query and GetItem, the stream records
with their images, an api fault rule added through the admin API, and an
event source mapping created, listed and deleted with the Lambda client.

Run by conformance/clients/run.sh with the Debian boto3; alone:
    DYNAFAULT_ENDPOINT=http://127.0.0.1:8000 /usr/bin/python3 test_dynafault.py

Steps run in order; the first failing step stops the ones after it (they
build on its state) except the final DeleteTable. Exit status 1 on any
failure.
"""

import gzip
import json
import os
import sys
import time
import traceback
import urllib.error
import urllib.request
from decimal import Decimal

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["DYNAFAULT_ENDPOINT"]
TABLE = "clients-boto3-%d" % int(time.time() * 1000)

# Fake static keys, endpoint override, no endpoint discovery, and no
# retries: total_max_attempts counts the first attempt, so 1 means one
# request (retries={"max_attempts": 1} would allow one retry).
CONFIG = Config(
    region_name="us-east-1",
    retries={"total_max_attempts": 1, "mode": "standard"},
    endpoint_discovery_enabled=False,
)
SESSION = boto3.session.Session(
    aws_access_key_id="AKIDCLIENTSBOTO3",
    aws_secret_access_key="local",
    region_name="us-east-1",
)
DB = SESSION.client("dynamodb", endpoint_url=ENDPOINT, config=CONFIG)
STREAMS = SESSION.client("dynamodbstreams", endpoint_url=ENDPOINT, config=CONFIG)
LAMBDA = SESSION.client("lambda", endpoint_url=ENDPOINT, config=CONFIG)

PROFILE_KEY = {"pk": {"S": "user#1"}, "sk": {"S": "profile"}}
ORDER1_KEY = {"pk": {"S": "user#1"}, "sk": {"S": "order#1"}}
ADA = dict(PROFILE_KEY, name={"S": "Ada"}, visits={"N": "1"})
GRACE = dict(PROFILE_KEY, name={"S": "Grace"}, visits={"N": "2"})
ORDER1 = dict(ORDER1_KEY, total={"N": "10.5"})
ORDER2 = {"pk": {"S": "user#1"}, "sk": {"S": "order#2"}, "total": {"N": "3"}}
# DynamoDB's message for ProvisionedThroughputExceededException.
THROTTLE_MESSAGE = (
    "The level of configured provisioned throughput for the table was exceeded. "
    "Consider increasing your provisioning level with the UpdateTable API."
)


class Pending(Exception):
    """A check that cannot run yet because the server lacks a feature."""


def eq(got, want, what):
    if got != want:
        raise AssertionError("%s:\n  got  %r\n  want %r" % (what, got, want))


def admin(method, path, body=None):
    """Calls the admin API; returns (status, parsed JSON or None, text)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(ENDPOINT + "/_admin" + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            status, text = res.status, res.read().decode()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read().decode()
    try:
        return status, json.loads(text), text
    except ValueError:
        return status, None, text


def wait_active(name):
    for _ in range(100):
        table = DB.describe_table(TableName=name)["Table"]
        if table["TableStatus"] == "ACTIVE":
            return table
        time.sleep(0.1)
    raise AssertionError("table %s never became ACTIVE" % name)


def read_stream(arn, want):
    """Reads every shard from TRIM_HORIZON until want records arrived."""
    desc = STREAMS.describe_stream(StreamArn=arn)["StreamDescription"]
    eq(desc["StreamArn"], arn, "DescribeStream StreamArn")
    eq(desc["StreamViewType"], "NEW_AND_OLD_IMAGES", "DescribeStream StreamViewType")
    assert desc["Shards"], "stream has no shard"
    records = []
    for shard in desc["Shards"]:
        it = STREAMS.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        empty = 0
        while it and empty < 3 and len(records) < want:
            out = STREAMS.get_records(ShardIterator=it)
            records.extend(out["Records"])
            empty = empty + 1 if not out["Records"] else 0
            it = out.get("NextShardIterator")
    return records


STATE = {}


def step_create_table():
    out = DB.create_table(
        TableName=TABLE,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    eq(out["TableDescription"]["TableName"], TABLE, "CreateTable TableName")
    desc = wait_active(TABLE)
    eq(desc["StreamSpecification"]["StreamViewType"], "NEW_AND_OLD_IMAGES", "StreamViewType")
    assert desc.get("LatestStreamArn"), "no LatestStreamArn"
    STATE["stream_arn"] = desc["LatestStreamArn"]


def step_writes():
    DB.put_item(TableName=TABLE, Item=ADA)
    DB.put_item(TableName=TABLE, Item=dict(ORDER1_KEY, total={"N": "10.50"}))
    upd = DB.update_item(
        TableName=TABLE,
        Key=PROFILE_KEY,
        UpdateExpression="SET #n = :n, visits = visits + :one",
        ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":n": {"S": "Grace"}, ":one": {"N": "1"}},
        ReturnValues="ALL_NEW",
    )
    eq(upd["Attributes"], GRACE, "UpdateItem ALL_NEW")
    old = DB.delete_item(TableName=TABLE, Key=ORDER1_KEY, ReturnValues="ALL_OLD")
    eq(old["Attributes"], ORDER1, "DeleteItem ALL_OLD")


def step_reads():
    DB.put_item(TableName=TABLE, Item=ORDER2)
    q = DB.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "user#1"}},
        ConsistentRead=True,
    )
    eq(q["Count"], 2, "Query Count")
    eq(q["Items"], [ORDER2, GRACE], "Query Items")
    qb = DB.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues={":pk": {"S": "user#1"}, ":p": {"S": "order#"}},
    )
    eq(qb["Items"], [ORDER2], "Query begins_with Items")
    got = DB.get_item(TableName=TABLE, Key=PROFILE_KEY, ConsistentRead=True)
    eq(got["Item"], GRACE, "GetItem Item")
    missing = DB.get_item(TableName=TABLE, Key=ORDER1_KEY)
    eq("Item" in missing, False, "GetItem of a deleted item has Item")
    # The resource layer converts numbers to Decimal.
    res = SESSION.resource("dynamodb", endpoint_url=ENDPOINT, config=CONFIG)
    item = res.Table(TABLE).get_item(Key={"pk": "user#1", "sk": "order#2"})["Item"]
    eq(item, {"pk": "user#1", "sk": "order#2", "total": Decimal("3")}, "resource GetItem")


def step_stream():
    records = read_stream(STATE["stream_arn"], 5)
    summary = ["%s %s" % (r["eventName"], r["dynamodb"]["Keys"]["sk"]["S"]) for r in records]
    eq(
        summary,
        ["INSERT profile", "INSERT order#1", "MODIFY profile", "REMOVE order#1", "INSERT order#2"],
        "stream records",
    )
    seqs = []
    for r in records:
        eq(r["eventSource"], "aws:dynamodb", "eventSource")
        eq(r["awsRegion"], "us-east-1", "awsRegion")
        eq(r["dynamodb"]["StreamViewType"], "NEW_AND_OLD_IMAGES", "record StreamViewType")
        seq = r["dynamodb"]["SequenceNumber"]
        assert seq.isdigit() and 21 <= len(seq) <= 40, "SequenceNumber %r" % seq
        seqs.append(int(seq))
    eq(seqs, sorted(set(seqs)), "sequence numbers strictly increasing")
    insert, _, modify, remove, _ = records
    eq(insert["dynamodb"]["Keys"], PROFILE_KEY, "INSERT Keys")
    eq(insert["dynamodb"]["NewImage"], ADA, "INSERT NewImage")
    eq("OldImage" in insert["dynamodb"], False, "INSERT has OldImage")
    eq(modify["dynamodb"]["OldImage"], ADA, "MODIFY OldImage")
    eq(modify["dynamodb"]["NewImage"], GRACE, "MODIFY NewImage")
    eq(remove["dynamodb"]["OldImage"], ORDER1, "REMOVE OldImage")
    eq("NewImage" in remove["dynamodb"], False, "REMOVE has NewImage")


def step_fault():
    rule_id = "throttle-put-" + TABLE
    rule = {
        "id": rule_id,
        "target": "api",
        "match": {"table": TABLE, "operation": ["PutItem"]},
        "action": {"type": "error", "code": "ProvisionedThroughputExceededException"},
        "when": {"times": 1},
    }
    status, _, text = admin("POST", "/faults", rule)
    if status == 404:
        raise Pending("fault rule via POST /_admin/faults (answered 404)")
    assert status in (200, 201), "POST /_admin/faults: %d %s" % (status, text)
    try:
        item = {"pk": {"S": "user#2"}, "sk": {"S": "profile"}}
        try:
            DB.put_item(TableName=TABLE, Item=item)
            raise AssertionError("PutItem succeeded; want ProvisionedThroughputExceededException")
        except ClientError as err:
            eq(err.response["Error"]["Code"], "ProvisionedThroughputExceededException", "error code")
            eq(err.response["ResponseMetadata"]["HTTPStatusCode"], 400, "HTTP status")
            eq(err.response["ResponseMetadata"]["RetryAttempts"], 0, "RetryAttempts")
            eq(err.response["Error"]["Message"], THROTTLE_MESSAGE, "error message")
        # times:1: the next PutItem goes through; the failed one wrote nothing.
        ok = dict(item, ok={"BOOL": True})
        DB.put_item(TableName=TABLE, Item=ok)
        eq(DB.get_item(TableName=TABLE, Key=item, ConsistentRead=True)["Item"], ok, "GetItem after fault")

        status, page, text = admin("GET", "/journal?rule=" + rule_id)
        eq(status, 200, "GET /_admin/journal status (%s)" % text)
        entries = page if isinstance(page, list) else (page or {}).get("entries") or []
        fired = [e for e in entries if rule_id in (e.get("fault"), e.get("rule"), e.get("ruleId"), e.get("ruleID"))]
        eq(len(fired), 1, "journal firings of %s (%s)" % (rule_id, text))
        eq(fired[0].get("table"), TABLE, "journal table")
        eq(fired[0].get("action"), "error", "journal action")
        eq(fired[0].get("operation"), "PutItem", "journal operation")
    finally:
        admin("DELETE", "/faults/" + rule_id)


def step_mapping():
    """A function registered through the admin API and an event source
    mapping on the table's stream, created, listed, read and deleted with
    boto3's Lambda client (disabled, so nothing is invoked)."""
    fn = "clients-boto3-fn"
    status, _, text = admin("PUT", "/functions/" + fn, {"url": "http://127.0.0.1:9", "timeout": "3s"})
    if status == 404:
        raise Pending("function registry via PUT /_admin/functions (answered 404)")
    eq(status, 200, "PUT /_admin/functions status (%s)" % text)
    try:
        out = LAMBDA.create_event_source_mapping(
            FunctionName=fn, EventSourceArn=STATE["stream_arn"], StartingPosition="LATEST",
            BatchSize=10, MaximumRetryAttempts=2, Enabled=False,
        )
        eq(out["ResponseMetadata"]["HTTPStatusCode"], 202, "CreateEventSourceMapping status")
        eq(out["State"], "Creating", "CreateEventSourceMapping State")
        eq(out["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:" + fn, "FunctionArn")
        eq(out["MaximumRecordAgeInSeconds"], -1, "MaximumRecordAgeInSeconds default")
        uuid = out["UUID"]
        listed = LAMBDA.list_event_source_mappings(EventSourceArn=STATE["stream_arn"])["EventSourceMappings"]
        eq([m["UUID"] for m in listed], [uuid], "ListEventSourceMappings by stream")
        eq(listed[0]["BatchSize"], 10, "listed BatchSize")
        eq(LAMBDA.get_event_source_mapping(UUID=uuid)["State"], "Disabled", "GetEventSourceMapping State")
        eq(LAMBDA.delete_event_source_mapping(UUID=uuid)["State"], "Deleting", "DeleteEventSourceMapping State")
        try:
            LAMBDA.get_event_source_mapping(UUID=uuid)
            raise AssertionError("GetEventSourceMapping after delete succeeded")
        except ClientError as err:
            eq(err.response["Error"]["Code"], "ResourceNotFoundException", "Get after delete")
    finally:
        admin("DELETE", "/functions/" + fn)


MULTI = TABLE + "-multi"


def gzip_requests(request, **kwargs):
    """Compresses the body of a prepared request (before-send event)."""
    body = request.body
    if isinstance(body, str):
        body = body.encode()
    request.body = gzip.compress(body or b"")
    request.headers["Content-Encoding"] = "gzip"
    request.headers["Content-Length"] = str(len(request.body))
    STATE["gzipped"] = STATE.get("gzipped", 0) + 1


def step_multi_attribute_gsi():
    """A GSI keyed by two HASH and two RANGE attributes, queried by its
    full partition key and a prefix of its sort key, from a client whose
    requests are gzip-compressed."""
    db = SESSION.client("dynamodb", endpoint_url=ENDPOINT, config=CONFIG)
    db.meta.events.register("before-send.dynamodb.*", gzip_requests)
    db.create_table(
        TableName=MULTI,
        AttributeDefinitions=[
            {"AttributeName": n, "AttributeType": t}
            for n, t in [("id", "S"), ("tenant", "S"), ("region", "S"), ("year", "N"), ("day", "N")]
        ],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byTenantRegion",
                "KeySchema": [
                    {"AttributeName": "tenant", "KeyType": "HASH"},
                    {"AttributeName": "region", "KeyType": "HASH"},
                    {"AttributeName": "year", "KeyType": "RANGE"},
                    {"AttributeName": "day", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    desc = wait_active(MULTI)
    schema = [(k["AttributeName"], k["KeyType"]) for k in desc["GlobalSecondaryIndexes"][0]["KeySchema"]]
    eq(schema, [("tenant", "HASH"), ("region", "HASH"), ("year", "RANGE"), ("day", "RANGE")], "GSI KeySchema")
    for i, (year, day) in enumerate([(2025, 3), (2026, 1), (2026, 7), (2026, 2)]):
        db.put_item(
            TableName=MULTI,
            Item={"id": {"S": "e%d" % i}, "tenant": {"S": "t1"}, "region": {"S": "eu"},
                  "year": {"N": str(year)}, "day": {"N": str(day)}},
        )
    db.put_item(TableName=MULTI, Item={"id": {"S": "sparse"}, "tenant": {"S": "t1"}, "region": {"S": "eu"}})
    out = db.query(
        TableName=MULTI,
        IndexName="byTenantRegion",
        KeyConditionExpression="tenant = :t AND #r = :r AND #y = :y AND #d > :d",
        ExpressionAttributeNames={"#r": "region", "#y": "year", "#d": "day"},
        ExpressionAttributeValues={":t": {"S": "t1"}, ":r": {"S": "eu"}, ":y": {"N": "2026"}, ":d": {"N": "1"}},
    )
    eq([it["id"]["S"] for it in out["Items"]], ["e3", "e2"], "multi-attribute GSI query")
    try:
        db.query(
            TableName=MULTI,
            IndexName="byTenantRegion",
            KeyConditionExpression="tenant = :t AND #r = :r AND #d = :d",
            ExpressionAttributeNames={"#r": "region", "#d": "day"},
            ExpressionAttributeValues={":t": {"S": "t1"}, ":r": {"S": "eu"}, ":d": {"N": "1"}},
        )
        raise AssertionError("a query skipping a sort-key attribute succeeded")
    except ClientError as err:
        eq(err.response["Error"]["Code"], "ValidationException", "skipped sort-key attribute")
    db.delete_table(TableName=MULTI)
    assert STATE.get("gzipped", 0) >= 8, "requests compressed: %r" % STATE.get("gzipped")


def step_delete_table():
    out = DB.delete_table(TableName=TABLE)
    eq(out["TableDescription"]["TableName"], TABLE, "DeleteTable TableName")


STEPS = [
    ("CreateTable with a NEW_AND_OLD_IMAGES stream, ACTIVE", step_create_table),
    ("PutItem, UpdateItem, DeleteItem", step_writes),
    ("Query and GetItem", step_reads),
    ("stream: INSERT, MODIFY, REMOVE with their images", step_stream),
    ("api fault rule: PutItem throttled once, journaled", step_fault),
    ("event source mapping: create, list, get, delete (Lambda client)", step_mapping),
    ("gzip-compressed requests: multi-attribute GSI created and queried", step_multi_attribute_gsi),
]


def run(name, fn):
    """Runs one step; returns "ok", "pending" or "fail"."""
    try:
        fn()
    except Pending as p:
        print("PENDING %s: %s" % (name, p))
        pending_file = os.environ.get("CLIENTS_PENDING_FILE")
        if pending_file:
            with open(pending_file, "a") as f:
                f.write("%s: %s\n" % (os.environ.get("CLIENTS_SUITE", "boto3"), p))
        return "pending"
    except Exception:
        print("FAIL    %s" % name)
        traceback.print_exc(file=sys.stdout)
        return "fail"
    print("ok      %s" % name)
    return "ok"


def main():
    failed = 0
    for name, fn in STEPS:
        result = run(name, fn)
        if result == "fail":
            failed += 1
            break
    if run("DeleteTable", step_delete_table) == "fail":
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
