// The AWS SDK for JavaScript v3 against a running dynafault: a table with a
// stream, item writes, Query and GetItem, the stream records with their
// images, and an api fault rule added through the admin API.
//
// Run by conformance/clients/run.sh; alone:
//   DYNAFAULT_ENDPOINT=http://127.0.0.1:8000 node --test
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";

const endpoint = process.env.DYNAFAULT_ENDPOINT;
assert.ok(endpoint, "DYNAFAULT_ENDPOINT is not set");

// Fake static keys, endpoint override, no endpoint discovery, no retries
// (so an injected error reaches the caller).
const clientConfig = {
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDCLIENTSJS", secretAccessKey: "local" },
  endpointDiscoveryEnabled: false,
  maxAttempts: 1,
};
const db = new DynamoDBClient(clientConfig);
const streams = new DynamoDBStreamsClient(clientConfig);

const table = `clients-js-${Date.now()}`;
// DynamoDB's message for ProvisionedThroughputExceededException.
const THROTTLE_MESSAGE =
  "The level of configured provisioned throughput for the table was exceeded. " +
  "Consider increasing your provisioning level with the UpdateTable API.";

// pending records a check that cannot run yet (a missing server feature):
// the driver prints it; it is not a pass.
function pending(t, what) {
  const file = process.env.CLIENTS_PENDING_FILE;
  if (file) appendFileSync(file, `js: ${what}\n`);
  t.skip(`pending: ${what}`);
}

async function admin(method, path, body) {
  const res = await fetch(`${endpoint}/_admin${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

async function waitActive(name) {
  for (let i = 0; i < 100; i++) {
    const out = await db.send(new DescribeTableCommand({ TableName: name }));
    if (out.Table.TableStatus === "ACTIVE") return out.Table;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`table ${name} never became ACTIVE`);
}

// readStream reads every shard from TRIM_HORIZON until want records arrived
// or the shards have nothing more to give.
async function readStream(arn, want) {
  const desc = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  assert.equal(desc.StreamDescription.StreamArn, arn);
  assert.equal(desc.StreamDescription.StreamViewType, "NEW_AND_OLD_IMAGES");
  assert.ok(desc.StreamDescription.Shards.length >= 1, "stream has no shard");
  const records = [];
  for (const shard of desc.StreamDescription.Shards) {
    let { ShardIterator: it } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shard.ShardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    for (let empty = 0; it && empty < 3 && records.length < want; ) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: it }));
      records.push(...out.Records);
      empty = out.Records.length === 0 ? empty + 1 : 0;
      it = out.NextShardIterator;
    }
  }
  return records;
}

test("AWS SDK for JavaScript v3", async (t) => {
  let streamArn;
  // Steps build on each other: after a failure the rest are skipped,
  // except DeleteTable.
  let broken = false;
  const step = (name, fn) =>
    t.test(name, async (st) => {
      if (broken) return st.skip("an earlier step failed");
      try {
        await fn(st);
      } catch (err) {
        broken = true;
        throw err;
      }
    });

  await step("CreateTable with a NEW_AND_OLD_IMAGES stream, ACTIVE", async () => {
    const out = await db.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
      }),
    );
    assert.equal(out.TableDescription.TableName, table);
    const desc = await waitActive(table);
    assert.equal(desc.StreamSpecification.StreamViewType, "NEW_AND_OLD_IMAGES");
    assert.ok(desc.LatestStreamArn, "no LatestStreamArn");
    streamArn = desc.LatestStreamArn;
  });

  await step("PutItem, UpdateItem, DeleteItem", async () => {
    await db.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: "user#1" }, sk: { S: "profile" }, name: { S: "Ada" }, visits: { N: "1" } },
      }),
    );
    await db.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: "user#1" }, sk: { S: "order#1" }, total: { N: "10.50" } },
      }),
    );
    const upd = await db.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: "user#1" }, sk: { S: "profile" } },
        UpdateExpression: "SET #n = :n, visits = visits + :one",
        ExpressionAttributeNames: { "#n": "name" },
        ExpressionAttributeValues: { ":n": { S: "Grace" }, ":one": { N: "1" } },
        ReturnValues: "ALL_NEW",
      }),
    );
    assert.deepEqual(upd.Attributes, {
      pk: { S: "user#1" },
      sk: { S: "profile" },
      name: { S: "Grace" },
      visits: { N: "2" },
    });
    const del = await db.send(
      new DeleteItemCommand({
        TableName: table,
        Key: { pk: { S: "user#1" }, sk: { S: "order#1" } },
        ReturnValues: "ALL_OLD",
      }),
    );
    assert.deepEqual(del.Attributes, { pk: { S: "user#1" }, sk: { S: "order#1" }, total: { N: "10.5" } });
  });

  await step("Query and GetItem", async () => {
    await db.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: "user#1" }, sk: { S: "order#2" }, total: { N: "3" } },
      }),
    );
    const q = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "user#1" } },
        ConsistentRead: true,
      }),
    );
    assert.equal(q.Count, 2);
    assert.deepEqual(
      q.Items.map((it) => it.sk.S),
      ["order#2", "profile"],
    );
    const qb = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues: { ":pk": { S: "user#1" }, ":p": { S: "order#" } },
      }),
    );
    assert.deepEqual(qb.Items, [{ pk: { S: "user#1" }, sk: { S: "order#2" }, total: { N: "3" } }]);
    const got = await db.send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: { S: "user#1" }, sk: { S: "profile" } },
        ConsistentRead: true,
      }),
    );
    assert.deepEqual(got.Item, {
      pk: { S: "user#1" },
      sk: { S: "profile" },
      name: { S: "Grace" },
      visits: { N: "2" },
    });
    const missing = await db.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: "user#1" }, sk: { S: "order#1" } } }),
    );
    assert.equal(missing.Item, undefined);
  });

  await step("stream: INSERT, MODIFY, REMOVE with their images", async () => {
    const records = await readStream(streamArn, 5);
    const summary = records.map((r) => `${r.eventName} ${r.dynamodb.Keys.sk.S}`);
    assert.deepEqual(summary, [
      "INSERT profile",
      "INSERT order#1",
      "MODIFY profile",
      "REMOVE order#1",
      "INSERT order#2",
    ]);
    for (const r of records) {
      assert.equal(r.eventSource, "aws:dynamodb");
      assert.equal(r.awsRegion, "us-east-1");
      assert.equal(r.dynamodb.StreamViewType, "NEW_AND_OLD_IMAGES");
      assert.match(r.dynamodb.SequenceNumber, /^\d{21,40}$/);
      assert.ok(r.dynamodb.ApproximateCreationDateTime instanceof Date);
    }
    const seqs = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], "sequence numbers not increasing");
    const [insert, , modify, remove] = records;
    assert.deepEqual(insert.dynamodb.Keys, { pk: { S: "user#1" }, sk: { S: "profile" } });
    assert.deepEqual(insert.dynamodb.NewImage, {
      pk: { S: "user#1" },
      sk: { S: "profile" },
      name: { S: "Ada" },
      visits: { N: "1" },
    });
    assert.equal(insert.dynamodb.OldImage, undefined);
    assert.deepEqual(modify.dynamodb.OldImage, insert.dynamodb.NewImage);
    assert.deepEqual(modify.dynamodb.NewImage, {
      pk: { S: "user#1" },
      sk: { S: "profile" },
      name: { S: "Grace" },
      visits: { N: "2" },
    });
    assert.deepEqual(remove.dynamodb.OldImage, { pk: { S: "user#1" }, sk: { S: "order#1" }, total: { N: "10.5" } });
    assert.equal(remove.dynamodb.NewImage, undefined);
  });

  await step("api fault rule: PutItem throttled once, journaled", async (t) => {
    const rule = {
      id: `throttle-put-${table}`,
      target: "api",
      match: { table, operation: ["PutItem"] },
      action: { type: "error", code: "ProvisionedThroughputExceededException" },
      when: { times: 1 },
    };
    const added = await admin("POST", "/faults", rule);
    if (added.status === 404) {
      pending(t, "fault rule via POST /_admin/faults (answered 404)");
      return;
    }
    assert.ok(added.status === 200 || added.status === 201, `POST /_admin/faults: ${added.status} ${added.text}`);
    t.after(() => admin("DELETE", `/faults/${encodeURIComponent(rule.id)}`));

    const item = { pk: { S: "user#2" }, sk: { S: "profile" } };
    await assert.rejects(db.send(new PutItemCommand({ TableName: table, Item: item })), (err) => {
      assert.equal(err.name, "ProvisionedThroughputExceededException");
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.equal(err.$metadata.attempts, 1);
      assert.equal(err.message, THROTTLE_MESSAGE);
      return true;
    });
    // times:1 — the next PutItem goes through, and the failed one wrote nothing.
    await db.send(new PutItemCommand({ TableName: table, Item: { ...item, ok: { BOOL: true } } }));
    const got = await db.send(new GetItemCommand({ TableName: table, Key: item, ConsistentRead: true }));
    assert.deepEqual(got.Item, { ...item, ok: { BOOL: true } });

    const journal = await admin("GET", `/journal?rule=${encodeURIComponent(rule.id)}`);
    assert.equal(journal.status, 200, `GET /_admin/journal: ${journal.status} ${journal.text}`);
    const fired = firings(journal.json, rule.id);
    assert.equal(fired.length, 1, `journal: ${journal.text}`);
    assert.equal(fired[0].table, table);
    assert.equal(fired[0].action, "error");
    assert.equal(fired[0].operation, "PutItem");
  });

  await step("gzip-compressed requests: multi-attribute GSI created and queried", async () => {
    // A client whose request bodies are gzip-compressed (Content-Encoding).
    const zdb = new DynamoDBClient(clientConfig);
    let compressed = 0;
    zdb.middlewareStack.add(
      (next) => async (args) => {
        const body = gzipSync(Buffer.from(args.request.body ?? ""));
        args.request.body = body;
        args.request.headers["content-encoding"] = "gzip";
        args.request.headers["content-length"] = String(body.length);
        compressed++;
        return next(args);
      },
      { step: "build", priority: "low", name: "gzipRequestBody" },
    );
    const multi = `${table}-multi`;
    await zdb.send(
      new CreateTableCommand({
        TableName: multi,
        AttributeDefinitions: [
          { AttributeName: "id", AttributeType: "S" },
          { AttributeName: "tenant", AttributeType: "S" },
          { AttributeName: "region", AttributeType: "S" },
          { AttributeName: "year", AttributeType: "N" },
          { AttributeName: "day", AttributeType: "N" },
        ],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
        GlobalSecondaryIndexes: [
          {
            IndexName: "byTenantRegion",
            KeySchema: [
              { AttributeName: "tenant", KeyType: "HASH" },
              { AttributeName: "region", KeyType: "HASH" },
              { AttributeName: "year", KeyType: "RANGE" },
              { AttributeName: "day", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      }),
    );
    const desc = await zdb.send(new DescribeTableCommand({ TableName: multi }));
    assert.deepEqual(
      desc.Table.GlobalSecondaryIndexes[0].KeySchema.map((k) => `${k.AttributeName}:${k.KeyType}`),
      ["tenant:HASH", "region:HASH", "year:RANGE", "day:RANGE"],
    );
    const days = [[2025, 3], [2026, 1], [2026, 7], [2026, 2]];
    for (const [i, [year, day]] of days.entries()) {
      await zdb.send(
        new PutItemCommand({
          TableName: multi,
          Item: { id: { S: `e${i}` }, tenant: { S: "t1" }, region: { S: "eu" }, year: { N: `${year}` }, day: { N: `${day}` } },
        }),
      );
    }
    await zdb.send(new PutItemCommand({ TableName: multi, Item: { id: { S: "sparse" }, tenant: { S: "t1" }, region: { S: "eu" } } }));
    const out = await zdb.send(
      new QueryCommand({
        TableName: multi,
        IndexName: "byTenantRegion",
        KeyConditionExpression: "tenant = :t AND #r = :r AND #y = :y AND #d > :d",
        ExpressionAttributeNames: { "#r": "region", "#y": "year", "#d": "day" },
        ExpressionAttributeValues: { ":t": { S: "t1" }, ":r": { S: "eu" }, ":y": { N: "2026" }, ":d": { N: "1" } },
      }),
    );
    assert.deepEqual(out.Items.map((it) => it.id.S), ["e3", "e2"]);
    await assert.rejects(
      zdb.send(
        new QueryCommand({
          TableName: multi,
          IndexName: "byTenantRegion",
          KeyConditionExpression: "tenant = :t AND #r = :r AND #d = :d",
          ExpressionAttributeNames: { "#r": "region", "#d": "day" },
          ExpressionAttributeValues: { ":t": { S: "t1" }, ":r": { S: "eu" }, ":d": { N: "1" } },
        }),
      ),
      (err) => err.name === "ValidationException",
    );
    await zdb.send(new DeleteTableCommand({ TableName: multi }));
    assert.ok(compressed >= 8, `requests compressed: ${compressed}`);
  });

  await t.test("DeleteTable", async () => {
    const out = await db.send(new DeleteTableCommand({ TableName: table }));
    assert.equal(out.TableDescription.TableName, table);
  });
});

// firings returns the journal entries of rule id, whatever the page's
// list member is called ("entries" by the documented design).
function firings(page, id) {
  const list = Array.isArray(page) ? page : (page?.entries ?? []);
  return list.filter((e) => [e.fault, e.rule, e.ruleId, e.ruleID].includes(id));
}
