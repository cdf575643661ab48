"""Runs a real Lambda handler for DynamoDB Streams under the AWS Lambda
Runtime Interface Emulator, invoked directly and then by an event source
mapping of dynafault.

    drive.py python   Powertools for AWS Lambda (Python) under awslambdaric
    drive.py node     Powertools for AWS Lambda (TypeScript) under aws-lambda-ric

Needs DYNAFAULT_ENDPOINT, RIE (the aws-lambda-rie binary) and the AWS CLI
(AWS_CLI, default aws on PATH).

Directly: the driver writes to a table with a stream, reads the records back
with GetRecords (keeping the JSON dynafault sent), wraps them in the event
Lambda's poller sends (each record plus eventSourceARN), and invokes the
handler through the RIE (POST /2015-03-31/functions/function/invocations),
the way AWS Lambda's base images run it. It checks the partial batch
response: the poison record's sequence number in batchItemFailures, nothing
for a clean batch, a function error when every record fails, and, from the
runtime's output, which records the handler processed with which values.

Through a mapping: the driver registers the RIE's URL as a function
(PUT /_admin/functions/{name}), creates a mapping on a one-shard stream with
the AWS CLI (aws lambda create-event-source-mapping ... --function-response-
types ReportBatchItemFailures, disabled while it writes), enables it, and
checks that dynafault's poller delivers the changes to the handler, that the
poison record the handler reports as a partial batch failure makes the shard
resume from it (the handler's output, the mapping's batch in flight and its
checkpoint, the oracle's pending changes), and that once
--maximum-retry-attempts is set the mapping gives the failed records up: a
failure record, one journal entry per discarded change, the oracle's
missed-changes report, and the shard moving on to the next write.

Exit status 1 on any failure; the RIE and the runtime are always stopped.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
ENDPOINT = os.environ["DYNAFAULT_ENDPOINT"]
RIE = os.environ.get("RIE", "aws-lambda-rie")
AWS_CLI = os.environ.get("AWS_CLI", "aws")
RUN = "%s-%d" % (sys.argv[1] if len(sys.argv) > 1 else "x", int(time.time() * 1000))
TABLE = "clients-lambda-" + RUN
MAPPED = "clients-lambda-mapped-" + RUN
FUNCTION = "clients-lambda-" + RUN

CONFIG = Config(region_name="us-east-1", retries={"total_max_attempts": 1}, endpoint_discovery_enabled=False)
SESSION = boto3.session.Session(aws_access_key_id="AKIDCLIENTSLAMBDA", aws_secret_access_key="local",
                                region_name="us-east-1")
DB = SESSION.client("dynamodb", endpoint_url=ENDPOINT, config=CONFIG)
STREAMS = SESSION.client("dynamodbstreams", endpoint_url=ENDPOINT, config=CONFIG)

# Each runtime: how the RIE starts it, and the errorType of a batch where every record failed.
RUNTIMES = {
    "python": {
        "dir": os.path.join(HERE, "python"),
        "bootstrap": [sys.executable, "-m", "awslambdaric", "handler.lambda_handler"],
        "all_failed": "BatchProcessingError",
    },
    "node": {
        "dir": os.path.join(HERE, "node"),
        "bootstrap": ["node", os.path.join(HERE, "node", "node_modules", "aws-lambda-ric", "bin", "index.mjs"),
                      "handler.handler"],
        "all_failed": "FullBatchFailureError",
    },
}


def eq(got, want, what):
    if got != want:
        raise AssertionError("%s:\n  got  %r\n  want %r" % (what, got, want))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Function:
    """One RIE process running one runtime: one invocation at a time, as the RIE requires."""

    def __init__(self, runtime):
        spec = RUNTIMES[runtime]
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="rie-%s-" % runtime, suffix=".log", delete=False)
        env = dict(os.environ, AWS_LAMBDA_FUNCTION_TIMEOUT="10", AWS_LAMBDA_FUNCTION_NAME="stream-handler",
                   LAMBDA_TASK_ROOT=spec["dir"], AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1",
                   POWERTOOLS_SERVICE_NAME="dynafault-clients")
        self.proc = subprocess.Popen(
            [RIE, "--runtime-interface-emulator-address", "127.0.0.1:%d" % self.port,
             "--runtime-api-address", "127.0.0.1:%d" % free_port()] + spec["bootstrap"],
            cwd=spec["dir"], env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise AssertionError("the RIE did not listen:\n" + self.output())
                time.sleep(0.1)

    def invoke(self, event):
        """POSTs the event; returns (status, parsed body or text)."""
        req = urllib.request.Request(
            "http://127.0.0.1:%d/2015-03-31/functions/function/invocations" % self.port,
            data=json.dumps(event).encode(), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                status, text = res.status, res.read().decode()
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def output(self):
        with open(self.log.name) as f:
            return f.read()

    def processed(self, source=None):
        """The records the handler printed, in order (those of the stream source only, when given)."""
        out = []
        for line in self.output().splitlines():
            i = line.find("processed {")
            if i >= 0:
                p = json.loads(line[i + len("processed "):])
                if source is None or p["source"] == source:
                    out.append(p)
        return out

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        os.unlink(self.log.name)


def stream_records():
    """Writes the changes; returns the stream ARN and the records as dynafault sent them (raw JSON)."""
    arn = create_stream_table(TABLE)
    DB.put_item(TableName=TABLE, Item={"pk": {"S": "ok-1"}, "v": {"N": "1"}, "blob": {"B": b"hello"}})
    DB.put_item(TableName=TABLE, Item={"pk": {"S": "poison-1"}, "v": {"N": "1"}})
    DB.update_item(TableName=TABLE, Key={"pk": {"S": "ok-1"}}, UpdateExpression="SET v = :v",
                   ExpressionAttributeValues={":v": {"N": "2"}})
    DB.put_item(TableName=TABLE, Item={"pk": {"S": "ok-2"}, "v": {"N": "1.5"}})
    DB.delete_item(TableName=TABLE, Key={"pk": {"S": "ok-2"}})

    raw = []
    STREAMS.meta.events.register("after-call.dynamodbstreams.GetRecords",
                                 lambda http_response, **_: raw.extend(json.loads(http_response.content)["Records"]))
    for shard in STREAMS.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        it = STREAMS.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        STREAMS.get_records(ShardIterator=it)
    eq([(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in raw],
       [("INSERT", "ok-1"), ("INSERT", "poison-1"), ("MODIFY", "ok-1"), ("INSERT", "ok-2"), ("REMOVE", "ok-2")],
       "stream records")
    return arn, raw


def create_stream_table(name, shards=None):
    """A table with a NEW_AND_OLD_IMAGES stream (of that many shards); returns the stream ARN."""
    if shards:
        admin("POST", "/streams/%s/shards" % name, {"count": shards})
    DB.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    DB.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    return DB.describe_table(TableName=name)["Table"]["LatestStreamArn"]


def lambda_event(arn, records):
    """The event Lambda's poller sends: the GetRecords records plus eventSourceARN."""
    return {"Records": [dict(r, eventSourceARN=arn) for r in records]}


def run(runtime):
    arn, records = stream_records()
    seqs = [r["dynamodb"]["SequenceNumber"] for r in records]
    for r in records:
        assert isinstance(r["dynamodb"]["ApproximateCreationDateTime"], (int, float)), "creation time is a number"
    fn = Function(runtime)
    try:
        status, body = fn.invoke(lambda_event(arn, records))
        eq(status, 200, "invoke status (%r)" % (body,))
        eq(body, {"batchItemFailures": [{"itemIdentifier": seqs[1]}]}, "partial batch response names the poison record")
        seen = fn.processed()
        eq([(p["eventName"], p["pk"], p["v"]) for p in seen],
           [("INSERT", "ok-1", "1"), ("INSERT", "poison-1", "1"), ("MODIFY", "ok-1", "2"),
            ("INSERT", "ok-2", "1.5"), ("REMOVE", "ok-2", "1.5")], "records the handler processed")
        eq([p["sequenceNumber"] for p in seen], seqs, "sequence numbers as the stream numbered them")
        eq(seen[0]["blob"], "hello", "binary attribute decoded from base64")
        eq({p["source"] for p in seen}, {arn}, "eventSourceARN")
        print("ok      %s: mixed batch -> batchItemFailures [poison-1]" % runtime)

        # Lambda resumes from the failed record: the handler fails it again, the rest pass.
        status, body = fn.invoke(lambda_event(arn, records[1:]))
        eq(body, {"batchItemFailures": [{"itemIdentifier": seqs[1]}]}, "retry from the failed record")
        print("ok      %s: retry from the poison record -> it fails again alone" % runtime)

        status, body = fn.invoke(lambda_event(arn, [r for i, r in enumerate(records) if i != 1]))
        eq((status, body), (200, {"batchItemFailures": []}), "clean batch")
        print("ok      %s: clean batch -> batchItemFailures []" % runtime)

        status, body = fn.invoke(lambda_event(arn, [records[1]]))
        eq(status, 200, "a function error is a 200 from the RIE")
        assert isinstance(body, dict), "error body %r" % (body,)
        eq(body.get("errorType"), RUNTIMES[runtime]["all_failed"], "every record failed: function error (%r)" % body)
        print("ok      %s: every record failed -> function error %s" % (runtime, body["errorType"]))

        through_mapping(runtime, fn)
    except Exception:
        print("--- runtime output\n" + fn.output())
        raise
    finally:
        fn.stop()


CLI_ENV = {k: v for k, v in os.environ.items() if k not in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE")}
CLI_ENV.update(AWS_ACCESS_KEY_ID="AKIDCLIENTSLAMBDA", AWS_SECRET_ACCESS_KEY="local", AWS_DEFAULT_REGION="us-east-1",
               AWS_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
               AWS_PAGER="", AWS_MAX_ATTEMPTS="1", AWS_EC2_METADATA_DISABLED="true")


def aws_lambda(*args):
    """Runs "aws lambda ARGS" with the AWS CLI against dynafault; returns its JSON output."""
    cmd = [AWS_CLI, "--endpoint-url", ENDPOINT, "--output", "json", "lambda"] + list(args)
    out = subprocess.run(cmd, env=CLI_ENV, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise AssertionError("aws lambda %s: exit status %d\n%s" % (" ".join(args), out.returncode, out.stderr))
    return json.loads(out.stdout) if out.stdout.strip() else None


def admin(method, path, body=None):
    """Calls dynafault's admin API; returns its JSON answer (None when empty)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(ENDPOINT + "/_admin" + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as res:
        text = res.read().decode()
    return json.loads(text) if text.strip() else None


def wait_for(what, check, timeout=30):
    """Calls check until it returns something true; returns that."""
    deadline = time.time() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.time() > deadline:
            raise AssertionError("timed out after %ds waiting for %s" % (timeout, what))
        time.sleep(0.05)


def through_mapping(runtime, fn):
    """The same handler as a function of dynafault, invoked by an event source mapping."""
    admin("PUT", "/functions/" + FUNCTION, {"url": "http://127.0.0.1:%d" % fn.port, "timeout": "10s"})
    arn = create_stream_table(MAPPED, shards=1)
    m = aws_lambda("create-event-source-mapping", "--function-name", FUNCTION, "--event-source-arn", arn,
                   "--starting-position", "TRIM_HORIZON", "--batch-size", "10",
                   "--function-response-types", "ReportBatchItemFailures", "--no-enabled")
    uuid = m["UUID"]
    try:
        eq((m["State"], m["BatchSize"], m["FunctionResponseTypes"], m["MaximumRetryAttempts"], m["EventSourceArn"]),
           ("Creating", 10, ["ReportBatchItemFailures"], -1, arn), "the mapping aws lambda created")
        # Written while the mapping is disabled, so that its first batch holds them all.
        DB.put_item(TableName=MAPPED, Item={"pk": {"S": "ok-1"}, "v": {"N": "1"}})
        DB.put_item(TableName=MAPPED, Item={"pk": {"S": "ok-2"}, "v": {"N": "1"}})
        DB.put_item(TableName=MAPPED, Item={"pk": {"S": "poison-1"}, "v": {"N": "1"}})
        DB.update_item(TableName=MAPPED, Key={"pk": {"S": "ok-1"}}, UpdateExpression="SET v = :v",
                       ExpressionAttributeValues={":v": {"N": "2"}})
        DB.put_item(TableName=MAPPED, Item={"pk": {"S": "ok-3"}, "v": {"N": "1"}})
        eq(aws_lambda("update-event-source-mapping", "--uuid", uuid, "--enabled")["State"], "Enabling", "enabled")

        # The batch of five fails on the poison record alone (batchItemFailures): Lambda
        # checkpoints the two records before it and retries from it.
        seen = wait_for("the retry from the poison record", lambda: len(fn.processed(arn)) >= 8 and fn.processed(arn))
        eq([(p["pk"], p["eventName"], p["v"]) for p in seen[:8]],
           [("ok-1", "INSERT", "1"), ("ok-2", "INSERT", "1"), ("poison-1", "INSERT", "1"), ("ok-1", "MODIFY", "2"),
            ("ok-3", "INSERT", "1"), ("poison-1", "INSERT", "1"), ("ok-1", "MODIFY", "2"), ("ok-3", "INSERT", "1")],
           "the records the handler got through the mapping")
        seqs = [p["sequenceNumber"] for p in seen[:5]]
        eq([p["sequenceNumber"] for p in seen[5:8]], seqs[2:], "the retry starts at the poison record")
        print("ok      %s: mapping (aws lambda create-event-source-mapping): 5 changes delivered, poison-1 in "
              "batchItemFailures, the shard resumed from it" % runtime)

        shard = wait_for("a second attempt", lambda: (lambda sh: sh["batchesInFlight"] and sh["batchesInFlight"][0]["attempt"] >= 2 and sh)(
            admin("GET", "/mappings/" + uuid)["shards"][0]))
        b = shard["batchesInFlight"][0]
        eq((shard["checkpoint"], b["firstSequenceNumber"], b["lastSequenceNumber"], b["records"]),
           (seqs[1], seqs[2], seqs[4], 3), "/_admin/mappings/{uuid}: checkpoint and the batch retried")
        oracle = admin("GET", "/consumers/" + uuid)
        eq((oracle["kind"], oracle["missed"]), ("mapping", {"pending": 3}), "the oracle while the shard is blocked")
        print("ok      %s: blocked: checkpoint after ok-2, batch poison-1..ok-3 on attempt %d, oracle: 3 pending"
              % (runtime, b["attempt"]))

        # With retries limited, the mapping gives the failed records up.
        eq(aws_lambda("update-event-source-mapping", "--uuid", uuid, "--maximum-retry-attempts", "1")["MaximumRetryAttempts"],
           1, "update --maximum-retry-attempts")
        failures = wait_for("the failure record", lambda: admin("GET", "/mappings/%s/failures" % uuid)["failures"])
        f = failures[0]
        info = f["DDBStreamBatchInfo"]
        eq((len(failures), f["requestContext"]["condition"], f["responseContext"].get("functionError"),
            info["startSequenceNumber"], info["endSequenceNumber"], info["batchSize"], info["streamArn"]),
           (1, "RetryAttemptsExhausted", None, seqs[2], seqs[4], 3, arn), "the failure record")
        lost = admin("GET", "/journal?" + urllib.parse.urlencode({"kind": "loss", "consumer": uuid}))["entries"]
        eq([(e["reason"], e["sequenceNumber"], e["table"]) for e in lost], [("discarded", q, MAPPED) for q in seqs[2:]],
           "the journal's loss entries")
        missed = admin("GET", "/consumers/%s/missed?reason=discarded" % uuid)["changes"]
        eq([(c["sequenceNumber"], c["keys"]["pk"]["S"], c["eventName"]) for c in missed],
           [(seqs[2], "poison-1", "INSERT"), (seqs[3], "ok-1", "MODIFY"), (seqs[4], "ok-3", "INSERT")],
           "the missed-changes report")
        print("ok      %s: --maximum-retry-attempts 1: RetryAttemptsExhausted, 3 changes discarded in the journal and "
              "the missed-changes report" % runtime)

        # The shard moves on.
        DB.put_item(TableName=MAPPED, Item={"pk": {"S": "ok-4"}, "v": {"N": "1"}})
        wait_for("ok-4 delivered", lambda: fn.processed(arn)[-1]["pk"] == "ok-4")
        shard = wait_for("the checkpoint past ok-4", lambda: (lambda sh: not sh["batchesInFlight"] and int(sh["checkpoint"]) > int(seqs[4]) and sh)(
            admin("GET", "/mappings/" + uuid)["shards"][0]))
        eq(admin("GET", "/consumers/" + uuid)["missed"], {"discarded": 3}, "the oracle after the discard")
        print("ok      %s: the next change (ok-4) delivered; oracle: 3 discarded, nothing pending" % runtime)
    finally:
        aws_lambda("delete-event-source-mapping", "--uuid", uuid)
        admin("DELETE", "/functions/" + FUNCTION)


def main():
    runtime = sys.argv[1] if len(sys.argv) > 1 else ""
    if runtime not in RUNTIMES:
        print("usage: drive.py python|node", file=sys.stderr)
        return 2
    try:
        run(runtime)
        return 0
    except Exception:
        traceback.print_exc(file=sys.stdout)
        return 1
    finally:
        for table in (TABLE, MAPPED):
            try:
                DB.delete_table(TableName=table)
            except Exception:
                pass


if __name__ == "__main__":
    sys.exit(main())
