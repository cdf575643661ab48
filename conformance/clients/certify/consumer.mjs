// consumer.mjs: the npm package dynamodb-stream (a DynamoDB Streams
// reader) as a consumer for `dynafault certify`, driven the way its
// README's "shards / iterator persistence" example shows: restore the
// shard state from a file, call fetchStreamState() in a loop, save the
// shard state after each call. As in that example, an error thrown by
// fetchStreamState() ends the process (the example leaves it unhandled;
// here it is printed first). The battery gives every scenario its
// endpoint, stream ARN, credentials and a state directory in the
// environment (see docs/certify.md).
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { DynamoDBStreams } from '@aws-sdk/client-dynamodb-streams'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import DynamoDBStream from 'dynamodb-stream'

const env = process.env
const stateFile = join(env.DYNAFAULT_STATE_DIR, 'shardState.json')
const pollMs = Number(env.POLL_MS || 250) // the README polls every 10 to 20 s

const ddbStream = new DynamoDBStream(
  new DynamoDBStreams({ endpoint: env.DYNAFAULT_ENDPOINT, region: env.AWS_REGION }),
  env.DYNAFAULT_STREAM_ARN,
  unmarshall
)

const show = (event, item) => console.log(`${event} ${item?.pk} v${item?.version}`)
ddbStream.on('insert record', (data) => show('INSERT', data))
ddbStream.on('modify record', (data) => show('MODIFY', data))
ddbStream.on('remove record', (data) => show('REMOVE', data))
ddbStream.on('new shards', (ids) => console.log(`new shards: ${ids.join(' ')}`))
ddbStream.on('remove shards', (ids) => console.log(`removed shards: ${ids.join(' ')}`))

async function loadShardState () {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8'))
  } catch (e) {
    if (e.code === 'ENOENT') return {}
    throw e
  }
}

async function saveShardState () {
  await writeFile(stateFile + '.tmp', JSON.stringify(ddbStream.getShardState()))
  await rename(stateFile + '.tmp', stateFile)
}

async function main () {
  ddbStream.setShardState(await loadShardState())
  console.log(`started (start ${env.DYNAFAULT_START}) on ${env.DYNAFAULT_STREAM_ARN}`)
  for (;;) {
    await ddbStream.fetchStreamState()
    await saveShardState()
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

main().catch((e) => {
  console.error(`error: ${e.name}: ${e.message}`)
  process.exit(1)
})
