package engine

import (
	"testing"
)

func TestStreamShardForKey(t *testing.T) {
	e, arn := newStreamEngine(t, "Tab", "KEYS_ONLY")
	if err := e.SetStreamShards("Tab", 8); err != nil {
		t.Fatal(err)
	}
	// Each key's records land in the shard StreamShardForKey names.
	keys := []string{"ORDER#1", "ORDER#2", "ORDER#3", "ORDER#4", "ORDER#5", "ORDER#6", "ORDER#7", "ORDER#8"}
	want := map[string]string{}
	shards := map[string]bool{}
	for _, k := range keys {
		gotARN, shard, err := e.StreamShardForKey("Tab", map[string]string{"pk": k})
		if err != nil || gotARN != arn || shard == "" {
			t.Fatalf("StreamShardForKey(%s) = %q, %q, %v", k, gotARN, shard, err)
		}
		want[k], shards[shard] = shard, true
		mustPut(t, e, "Tab", pkItem(k))
	}
	if len(shards) < 2 {
		t.Fatalf("8 keys over 8 shards all map to %v; the key decides nothing", shards)
	}
	for _, sh := range shardsOf(t, e, arn) {
		for _, r := range readShard(t, e, arn, sh.ShardId) {
			k := r.Dynamodb.Keys.Item()["pk"].S
			if want[k] != sh.ShardId {
				t.Errorf("record of %s in %s, StreamShardForKey said %s", k, sh.ShardId, want[k])
			}
		}
	}
	cases := []struct {
		table string
		key   map[string]string
		code  Code
		msg   string
	}{
		{"Nope", map[string]string{"pk": "a"}, ResourceNotFound, "Requested resource not found: Table: Nope not found"},
		{"Tab", map[string]string{}, Validation, "The partition key pk of table Tab is required"},
		{"Tab", map[string]string{"pk": "a", "color": "red"}, Validation, "Attribute color is not a key attribute of table Tab (key: pk)"},
	}
	for _, c := range cases {
		_, _, err := e.StreamShardForKey(c.table, c.key)
		wantErr(t, err, c.code, c.msg)
	}
}

func TestStreamShardForKeyTypedKeys(t *testing.T) {
	e := newTestEngine(t)
	in := &CreateTableInput{
		TableName:            sp("Num"),
		AttributeDefinitions: []AttributeDefinition{ad("n", "N"), ad("b", "B")},
		KeySchema:            ks("n", "b"),
		BillingMode:          sp(billingPayPerRequest),
	}
	mustCreate(t, e, in)
	_, _, err := e.StreamShardForKey("Num", map[string]string{"n": "1"})
	wantErr(t, err, ResourceNotFound, "Table Num has no enabled stream")
	_, _, err = e.StreamShardForKey("Num", map[string]string{"n": "one"})
	wantErr(t, err, Validation, "Invalid value of key attribute n (N): The parameter cannot be converted to a numeric value: one")
	_, _, err = e.StreamShardForKey("Num", map[string]string{"n": "1", "b": "!!"})
	if AsError(err).Code != Validation {
		t.Errorf("bad base64 sort key: %v", err)
	}
}
