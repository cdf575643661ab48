"""Current boto3 (PyPI) against a running dynafault: every DynamoDB Streams call.

ListStreams (by table, paged with Limit and ExclusiveStartStreamArn),
DescribeStream (paged with Limit and ExclusiveStartShardId, and ShardFilter
CHILD_SHARDS after a rollover and a split, which Debian's older botocore
cannot send), GetShardIterator with all four iterator types, GetRecords
with Limit up to the end of a closed shard, and the Streams errors a
consumer must handle (ExpiredIteratorException, TrimmedDataAccessException,
ResourceNotFoundException, ValidationException).

Run by conformance/clients/run.sh in the suite's virtual environment, after
../boto3/test_dynafault.py (the same checks as the Debian boto3); alone:
    DYNAFAULT_ENDPOINT=http://127.0.0.1:8000 .venv/bin/python test_streams.py
"""

import json
import os
import sys
import time
import traceback
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["DYNAFAULT_ENDPOINT"]
STAMP = int(time.time() * 1000)
TABLE = "clients-boto3-pypi-%d" % STAMP
OTHER = "clients-boto3-pypi-other-%d" % STAMP

CONFIG = Config(
    region_name="us-east-1",
    retries={"total_max_attempts": 1, "mode": "standard"},
    endpoint_discovery_enabled=False,
)
SESSION = boto3.session.Session(
    aws_access_key_id="AKIDCLIENTSBOTO3PYPI", aws_secret_access_key="local", region_name="us-east-1"
)
DB = SESSION.client("dynamodb", endpoint_url=ENDPOINT, config=CONFIG)
STREAMS = SESSION.client("dynamodbstreams", endpoint_url=ENDPOINT, config=CONFIG)


def eq(got, want, what):
    if got != want:
        raise AssertionError("%s:\n  got  %r\n  want %r" % (what, got, want))


def admin(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(ENDPOINT + "/_admin" + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.loads(res.read().decode() or "null")


def error_code(fn, **kw):
    try:
        fn(**kw)
    except ClientError as err:
        return err.response["Error"]["Code"], err.response["Error"]["Message"]
    raise AssertionError("%s(%r) succeeded; want an error" % (fn.__name__, kw))


def create(name):
    DB.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    DB.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    return DB.describe_table(TableName=name)["Table"]["LatestStreamArn"]


def put(pk, v):
    DB.put_item(TableName=TABLE, Item={"pk": {"S": pk}, "v": {"N": str(v)}})


def all_shards(arn, **kw):
    """DescribeStream paged one shard at a time."""
    shards, start = [], None
    while True:
        args = dict(StreamArn=arn, Limit=1, **kw)
        if start:
            args["ExclusiveStartShardId"] = start
        desc = STREAMS.describe_stream(**args)["StreamDescription"]
        shards.extend(desc["Shards"])
        start = desc.get("LastEvaluatedShardId")
        if not start:
            return shards


def read_to_end(it, limit=2):
    """GetRecords with Limit until the closed shard ends (no NextShardIterator)."""
    out = []
    for _ in range(100):
        page = STREAMS.get_records(ShardIterator=it, Limit=limit)
        assert len(page["Records"]) <= limit, "Limit %d, got %d" % (limit, len(page["Records"]))
        out.extend(page["Records"])
        it = page.get("NextShardIterator")
        if not it:
            return out
    raise AssertionError("closed shard never ended")


STATE = {}


def step_list_streams():
    STATE["arn"] = create(TABLE)
    STATE["other_arn"] = create(OTHER)
    mine = STREAMS.list_streams(TableName=TABLE)["Streams"]
    eq([s["StreamArn"] for s in mine], [STATE["arn"]], "ListStreams TableName")
    eq(mine[0]["TableName"], TABLE, "ListStreams TableName member")
    # Paging over every stream, one at a time: both of ours appear once.
    seen, start = [], None
    for _ in range(1000):
        args = {"Limit": 1}
        if start:
            args["ExclusiveStartStreamArn"] = start
        page = STREAMS.list_streams(**args)
        assert len(page["Streams"]) <= 1
        seen.extend(s["StreamArn"] for s in page["Streams"])
        start = page.get("LastEvaluatedStreamArn")
        if not start:
            break
    eq(sorted(a for a in seen if a in (STATE["arn"], STATE["other_arn"])),
       sorted([STATE["arn"], STATE["other_arn"]]), "ListStreams paged")
    eq(len(seen), len(set(seen)), "ListStreams paging repeats no stream")


def step_iterator_types():
    for i in range(5):
        put("item-%d" % i, 1)
    shards = all_shards(STATE["arn"])
    eq(len(shards), 1, "one shard")
    shard = shards[0]["ShardId"]
    STATE["shard"] = shard
    arn = STATE["arn"]
    it = STREAMS.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    recs = STREAMS.get_records(ShardIterator=it)["Records"]
    eq([r["dynamodb"]["Keys"]["pk"]["S"] for r in recs], ["item-%d" % i for i in range(5)], "TRIM_HORIZON")
    seqs = [r["dynamodb"]["SequenceNumber"] for r in recs]
    STATE["seqs"] = seqs
    it = STREAMS.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                    SequenceNumber=seqs[2])["ShardIterator"]
    eq([r["dynamodb"]["SequenceNumber"] for r in STREAMS.get_records(ShardIterator=it)["Records"]], seqs[2:],
       "AT_SEQUENCE_NUMBER")
    it = STREAMS.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                    SequenceNumber=seqs[2])["ShardIterator"]
    eq([r["dynamodb"]["SequenceNumber"] for r in STREAMS.get_records(ShardIterator=it)["Records"]], seqs[3:],
       "AFTER_SEQUENCE_NUMBER")
    latest = STREAMS.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    page = STREAMS.get_records(ShardIterator=latest)
    eq(page["Records"], [], "LATEST before a new write")
    put("item-5", 1)
    page = STREAMS.get_records(ShardIterator=page["NextShardIterator"])
    eq([r["dynamodb"]["Keys"]["pk"]["S"] for r in page["Records"]], ["item-5"], "LATEST after a write")
    code, _ = error_code(STREAMS.get_shard_iterator, StreamArn=arn, ShardId=shard,
                         ShardIteratorType="AT_SEQUENCE_NUMBER")
    eq(code, "ValidationException", "AT_SEQUENCE_NUMBER without SequenceNumber")


def step_shard_filter():
    arn = STATE["arn"]
    parent = STATE["shard"]
    rolled = admin("POST", "/streams/%s/shards/%s/rollover" % (TABLE, parent))
    eq(rolled["closed"], parent, "rollover closed")
    child = rolled["children"][0]
    split = admin("POST", "/streams/%s/shards/%s/split" % (TABLE, child))
    halves = split["children"]
    eq(len(halves), 2, "split children")
    for i in range(6):
        put("after-%d" % i, 1)

    desc = STREAMS.describe_stream(StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS", "ShardId": parent})
    got = desc["StreamDescription"]["Shards"]
    eq([s["ShardId"] for s in got], [child], "ShardFilter CHILD_SHARDS of the rolled-over shard")
    eq(got[0]["ParentShardId"], parent, "child's ParentShardId")
    desc = STREAMS.describe_stream(StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS", "ShardId": child})
    eq(sorted(s["ShardId"] for s in desc["StreamDescription"]["Shards"]), sorted(halves),
       "ShardFilter CHILD_SHARDS of the split shard")
    for s in desc["StreamDescription"]["Shards"]:
        eq(s["ParentShardId"], child, "split child's ParentShardId")
        assert "EndingSequenceNumber" not in s["SequenceNumberRange"], "split children are open"
    desc = STREAMS.describe_stream(StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS", "ShardId": halves[0]})
    eq(desc["StreamDescription"]["Shards"], [], "an open shard has no children")

    shards = {s["ShardId"]: s for s in all_shards(arn)}
    eq(sorted(shards), sorted([parent, child] + halves), "DescribeStream paged with Limit 1")
    for closed in (parent, child):
        assert "EndingSequenceNumber" in shards[closed]["SequenceNumberRange"], "%s closed" % closed

    # The closed parent reads to its end: no NextShardIterator after its last record.
    it = STREAMS.get_shard_iterator(StreamArn=arn, ShardId=parent, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    eq(len(read_to_end(it)), 6, "records of the closed parent, read with Limit 2")
    # Every write after the split is in one of the halves, once.
    after = []
    for h in halves:
        it = STREAMS.get_shard_iterator(StreamArn=arn, ShardId=h, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        after.extend(r["dynamodb"]["Keys"]["pk"]["S"] for r in STREAMS.get_records(ShardIterator=it)["Records"])
    eq(sorted(after), ["after-%d" % i for i in range(6)], "writes after the split")


def step_errors():
    arn = STATE["arn"]
    shard = STATE["shard"]
    it = STREAMS.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    admin("POST", "/streams/%s/iterators/expire" % TABLE)
    code, msg = error_code(STREAMS.get_records, ShardIterator=it)
    eq(code, "ExpiredIteratorException", "GetRecords after the iterators expired")
    eq(msg, "The provided iterator exceeds the maximum age allowed.", "ExpiredIteratorException message")

    trimmed = admin("POST", "/streams/%s/trim" % TABLE, {"before": STATE["seqs"][3]})
    assert trimmed["trimmed"], trimmed
    code, _ = error_code(STREAMS.get_shard_iterator, StreamArn=arn, ShardId=shard,
                         ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=STATE["seqs"][0])
    eq(code, "TrimmedDataAccessException", "an iterator at a trimmed sequence number")
    it = STREAMS.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    first = STREAMS.get_records(ShardIterator=it)["Records"][0]["dynamodb"]["SequenceNumber"]
    eq(first, STATE["seqs"][3], "TRIM_HORIZON after the trim")

    bad = arn[:-3] + "999"
    code, _ = error_code(STREAMS.describe_stream, StreamArn=bad)
    eq(code, "ResourceNotFoundException", "DescribeStream of an unknown stream")
    code, _ = error_code(STREAMS.get_shard_iterator, StreamArn=arn, ShardId="shardId-00000000000000000000-99999999",
                         ShardIteratorType="TRIM_HORIZON")
    eq(code, "ResourceNotFoundException", "GetShardIterator of an unknown shard")
    code, _ = error_code(STREAMS.describe_stream, StreamArn=arn,
                         ShardFilter={"Type": "CHILD_SHARDS"})
    eq(code, "ValidationException", "ShardFilter without ShardId")
    code, _ = error_code(STREAMS.get_records, ShardIterator="not-an-iterator")
    eq(code, "ValidationException", "GetRecords with a malformed iterator")


def step_cleanup():
    for t in (TABLE, OTHER):
        try:
            DB.delete_table(TableName=t)
        except ClientError:
            pass


STEPS = [
    ("ListStreams by table and paged", step_list_streams),
    ("GetShardIterator: TRIM_HORIZON, AT/AFTER_SEQUENCE_NUMBER, LATEST", step_iterator_types),
    ("DescribeStream ShardFilter CHILD_SHARDS after a rollover and a split; GetRecords to a shard's end",
     step_shard_filter),
    ("Streams errors: expired, trimmed, not found, validation", step_errors),
]


def main():
    failed = 0
    for name, fn in STEPS:
        try:
            fn()
            print("ok      %s" % name)
        except Exception:
            print("FAIL    %s" % name)
            traceback.print_exc(file=sys.stdout)
            failed = 1
            break
    step_cleanup()
    return failed


if __name__ == "__main__":
    sys.exit(main())
