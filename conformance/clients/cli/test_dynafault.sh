#!/usr/bin/env bash
# The AWS CLI against a running dynafault: a table with a stream, item
# writes, Query and GetItem, the stream records with their images, and an
# event source mapping created and listed with "aws lambda".
#
# Run by conformance/clients/run.sh; alone:
#   DYNAFAULT_ENDPOINT=http://127.0.0.1:8000 bash test_dynafault.sh
# AWS_CLI names the aws binary (default: aws on PATH). Needs jq.
# Exit status 1 on the first failed check.
set -euo pipefail

endpoint="${DYNAFAULT_ENDPOINT:?DYNAFAULT_ENDPOINT is not set}"
awscli="${AWS_CLI:-aws}"
table="clients-cli-$(date +%s%N | cut -c1-13)"

# Fake static keys, no profile files, no endpoint discovery, no retries,
# no pager.
export AWS_ACCESS_KEY_ID=AKIDCLIENTSCLI AWS_SECRET_ACCESS_KEY=local
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ENABLE_ENDPOINT_DISCOVERY=false AWS_EC2_METADATA_DISABLED=true
export AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard AWS_PAGER=
unset AWS_SESSION_TOKEN AWS_PROFILE

ddb() { "$awscli" --endpoint-url "$endpoint" --output json dynamodb "$@"; }
streams() { "$awscli" --endpoint-url "$endpoint" --output json dynamodbstreams "$@"; }

step() { printf 'ok      %s\n' "$current"; current="$1"; }
current=""
finish() {
	local rc=$?
	if [[ $rc -ne 0 ]]; then
		printf 'FAIL    %s\n' "$current"
	fi
	ddb delete-table --table-name "$table" >/dev/null 2>&1 || true
	exit "$rc"
}
trap finish EXIT

# expect WHAT GOT WANT compares two JSON texts canonically (jq -S).
expect() {
	local what="$1" got want
	got="$(jq -cS . <<<"$2")"
	want="$(jq -cS . <<<"$3")"
	if [[ "$got" != "$want" ]]; then
		printf '%s:\n  got  %s\n  want %s\n' "$what" "$got" "$want"
		return 1
	fi
}

profile_key='{"pk":{"S":"user#1"},"sk":{"S":"profile"}}'
order1_key='{"pk":{"S":"user#1"},"sk":{"S":"order#1"}}'
ada='{"pk":{"S":"user#1"},"sk":{"S":"profile"},"name":{"S":"Ada"},"visits":{"N":"1"}}'
grace='{"pk":{"S":"user#1"},"sk":{"S":"profile"},"name":{"S":"Grace"},"visits":{"N":"2"}}'
order1='{"pk":{"S":"user#1"},"sk":{"S":"order#1"},"total":{"N":"10.5"}}'
order2='{"pk":{"S":"user#1"},"sk":{"S":"order#2"},"total":{"N":"3"}}'

current="CreateTable with a NEW_AND_OLD_IMAGES stream, ACTIVE"
out="$(ddb create-table --table-name "$table" \
	--attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=S \
	--key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE \
	--billing-mode PAY_PER_REQUEST \
	--stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES)"
expect "CreateTable TableName" "$(jq .TableDescription.TableName <<<"$out")" "\"$table\""
ddb wait table-exists --table-name "$table"
desc="$(ddb describe-table --table-name "$table")"
expect "TableStatus" "$(jq .Table.TableStatus <<<"$desc")" '"ACTIVE"'
expect "StreamViewType" "$(jq .Table.StreamSpecification.StreamViewType <<<"$desc")" '"NEW_AND_OLD_IMAGES"'
stream_arn="$(jq -r '.Table.LatestStreamArn // ""' <<<"$desc")"
[[ -n "$stream_arn" ]] || { echo "no LatestStreamArn"; exit 1; }

step "PutItem, UpdateItem, DeleteItem"
ddb put-item --table-name "$table" --item "$ada" >/dev/null
ddb put-item --table-name "$table" --item '{"pk":{"S":"user#1"},"sk":{"S":"order#1"},"total":{"N":"10.50"}}' >/dev/null
out="$(ddb update-item --table-name "$table" --key "$profile_key" \
	--update-expression 'SET #n = :n, visits = visits + :one' \
	--expression-attribute-names '{"#n":"name"}' \
	--expression-attribute-values '{":n":{"S":"Grace"},":one":{"N":"1"}}' \
	--return-values ALL_NEW)"
expect "UpdateItem ALL_NEW" "$(jq .Attributes <<<"$out")" "$grace"
out="$(ddb delete-item --table-name "$table" --key "$order1_key" --return-values ALL_OLD)"
expect "DeleteItem ALL_OLD" "$(jq .Attributes <<<"$out")" "$order1"

step "Query and GetItem"
ddb put-item --table-name "$table" --item "$order2" >/dev/null
out="$(ddb query --table-name "$table" --key-condition-expression 'pk = :pk' \
	--expression-attribute-values '{":pk":{"S":"user#1"}}' --consistent-read)"
expect "Query Count" "$(jq .Count <<<"$out")" 2
expect "Query Items" "$(jq .Items <<<"$out")" "[$order2,$grace]"
out="$(ddb query --table-name "$table" --key-condition-expression 'pk = :pk AND begins_with(sk, :p)' \
	--expression-attribute-values '{":pk":{"S":"user#1"},":p":{"S":"order#"}}')"
expect "Query begins_with Items" "$(jq .Items <<<"$out")" "[$order2]"
out="$(ddb get-item --table-name "$table" --key "$profile_key" --consistent-read)"
expect "GetItem Item" "$(jq .Item <<<"$out")" "$grace"
out="$(ddb get-item --table-name "$table" --key "$order1_key")"
expect "GetItem of a deleted item" "$(jq -c '.Item // null' <<<"${out:-null}")" null

step "stream: INSERT, MODIFY, REMOVE with their images"
sdesc="$(streams describe-stream --stream-arn "$stream_arn")"
expect "DescribeStream StreamArn" "$(jq .StreamDescription.StreamArn <<<"$sdesc")" "\"$stream_arn\""
expect "DescribeStream StreamViewType" "$(jq .StreamDescription.StreamViewType <<<"$sdesc")" '"NEW_AND_OLD_IMAGES"'
records='[]'
for shard in $(jq -r '.StreamDescription.Shards[].ShardId' <<<"$sdesc"); do
	it="$(streams get-shard-iterator --stream-arn "$stream_arn" --shard-id "$shard" \
		--shard-iterator-type TRIM_HORIZON | jq -r .ShardIterator)"
	empty=0
	while [[ -n "$it" && "$it" != null && $empty -lt 3 && $(jq length <<<"$records") -lt 5 ]]; do
		out="$(streams get-records --shard-iterator "$it")"
		records="$(jq -c --argjson r "$records" '$r + .Records' <<<"$out")"
		if [[ "$(jq '.Records | length' <<<"$out")" == 0 ]]; then empty=$((empty + 1)); else empty=0; fi
		it="$(jq -r '.NextShardIterator // ""' <<<"$out")"
	done
done
expect "stream records" "$(jq '[.[] | .eventName + " " + .dynamodb.Keys.sk.S]' <<<"$records")" \
	'["INSERT profile","INSERT order#1","MODIFY profile","REMOVE order#1","INSERT order#2"]'
expect "record sources, regions, view types" \
	"$(jq '[.[] | [.eventSource, .awsRegion, .dynamodb.StreamViewType]] | unique' <<<"$records")" \
	'[["aws:dynamodb","us-east-1","NEW_AND_OLD_IMAGES"]]'
expect "sequence numbers are 21-40 digits" \
	"$(jq '[.[] | .dynamodb.SequenceNumber | test("^[0-9]{21,40}$")] | unique' <<<"$records")" '[true]'
# Compare sequence numbers as strings of equal length (they exceed 2^53).
expect "sequence numbers strictly increasing" \
	"$(jq '[.[] | .dynamodb.SequenceNumber] | . as $s | [range(1; length) |
		($s[.-1] | length) as $a | ($s[.] | length) as $b |
		($a < $b or ($a == $b and $s[.-1] < $s[.]))] | all' <<<"$records")" true
expect "INSERT Keys" "$(jq '.[0].dynamodb.Keys' <<<"$records")" "$profile_key"
expect "INSERT NewImage" "$(jq '.[0].dynamodb.NewImage' <<<"$records")" "$ada"
expect "INSERT OldImage" "$(jq '.[0].dynamodb.OldImage' <<<"$records")" null
expect "MODIFY OldImage" "$(jq '.[2].dynamodb.OldImage' <<<"$records")" "$ada"
expect "MODIFY NewImage" "$(jq '.[2].dynamodb.NewImage' <<<"$records")" "$grace"
expect "REMOVE OldImage" "$(jq '.[3].dynamodb.OldImage' <<<"$records")" "$order1"
expect "REMOVE NewImage" "$(jq '.[3].dynamodb.NewImage' <<<"$records")" null

step "event source mapping: create and list with aws lambda"
fn="clients-cli-fn"
status="$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
	--data '{"url":"http://127.0.0.1:9","timeout":"3s"}' "$endpoint/_admin/functions/$fn")"
expect "PUT /_admin/functions status" "$status" 200
lam() { "$awscli" --endpoint-url "$endpoint" --output json lambda "$@"; }
out="$(lam create-event-source-mapping --function-name "$fn" --event-source-arn "$stream_arn" \
	--starting-position LATEST --batch-size 10 --no-enabled)"
expect "CreateEventSourceMapping State" "$(jq .State <<<"$out")" '"Creating"'
expect "CreateEventSourceMapping FunctionArn" "$(jq .FunctionArn <<<"$out")" "\"arn:aws:lambda:us-east-1:000000000000:function:$fn\""
uuid="$(jq -r .UUID <<<"$out")"
out="$(lam list-event-source-mappings --event-source-arn "$stream_arn")"
expect "ListEventSourceMappings" "$(jq '[.EventSourceMappings[] | [.UUID, .BatchSize, .State]]' <<<"$out")" "[[\"$uuid\",10,\"Disabled\"]]"
out="$(lam delete-event-source-mapping --uuid "$uuid")"
expect "DeleteEventSourceMapping State" "$(jq .State <<<"$out")" '"Deleting"'
curl -s -o /dev/null -X DELETE "$endpoint/_admin/functions/$fn"

step "DeleteTable"
out="$(ddb delete-table --table-name "$table")"
expect "DeleteTable TableName" "$(jq .TableDescription.TableName <<<"$out")" "\"$table\""
step ""
trap - EXIT
