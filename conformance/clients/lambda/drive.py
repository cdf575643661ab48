"""Runs a real Lambda handler for DynamoDB Streams under the AWS Lambda
Runtime Interface Emulator and invokes it with records read from dynafault.

    drive.py python   Powertools for AWS Lambda (Python) under awslambdaric
    drive.py node     Powertools for AWS Lambda (TypeScript) under aws-lambda-ric

Needs DYNAFAULT_ENDPOINT and RIE (the aws-lambda-rie binary). The driver
writes to a table with a stream, reads the records back with GetRecords
(keeping the JSON dynafault sent), wraps them in the event Lambda's poller
sends (each record plus eventSourceARN), and invokes the handler through the
RIE (POST /2015-03-31/functions/function/invocations), the way AWS Lambda's
base images run it. It checks the partial batch response: the poison record's
sequence number in batchItemFailures, nothing for a clean batch, a function
error when every record fails, and, from the runtime's output, which records
the handler processed with which values.

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
import urllib.request

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
ENDPOINT = os.environ["DYNAFAULT_ENDPOINT"]
RIE = os.environ.get("RIE", "aws-lambda-rie")
TABLE = "clients-lambda-%s-%d" % (sys.argv[1] if len(sys.argv) > 1 else "x", int(time.time() * 1000))

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

    def processed(self):
        """The records the handler printed, in order."""
        out = []
        for line in self.output().splitlines():
            i = line.find("processed {")
            if i >= 0:
                out.append(json.loads(line[i + len("processed "):]))
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
    DB.create_table(
        TableName=TABLE,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    DB.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    arn = DB.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
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
    except Exception:
        print("--- runtime output\n" + fn.output())
        raise
    finally:
        fn.stop()


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
        try:
            DB.delete_table(TableName=TABLE)
        except Exception:
            pass


if __name__ == "__main__":
    sys.exit(main())
