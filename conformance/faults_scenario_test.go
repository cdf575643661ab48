package conformance

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults"
)

// The motivating scenario: a table whose items carry a version counter that
// every update bumps, and a pipeline that copies each stream record to a
// sink keyed by (id, version). The pipeline's detector reports version gaps;
// the tests prove that what it reports is exactly what the journal says was
// broken.

// versionConsumer is a small Streams consumer in the style of the KCL: it
// walks the shards parents first, checkpoints the last sequence number it
// processed per shard, renews expired iterators from its checkpoint, and on
// TrimmedDataAccessException notes the loss and restarts at TRIM_HORIZON.
type versionConsumer struct {
	e    *faultEnv
	arn  string
	sink string
	its  map[string]string // shard -> next iterator
	done map[string]bool   // shards read to their end
	cp   map[string]string // shard -> checkpoint (last processed sequence number)
	// trimmed lists the shards where TrimmedDataAccessException told the
	// consumer that records it had not read yet are gone.
	trimmed []string
	// expired counts ExpiredIteratorException answers.
	expired int
}

// newVersionConsumer creates the sink table and a consumer of arn.
func newVersionConsumer(e *faultEnv, arn string) *versionConsumer {
	e.t.Helper()
	sink := uniqueName("sink")
	_, err := e.db.CreateTable(ctx(e.t), &dynamodb.CreateTableInput{
		TableName: aws.String(sink), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("id", types.ScalarAttributeTypeS), attrDef("version", types.ScalarAttributeTypeN),
		},
		KeySchema: []types.KeySchemaElement{keyElem("id", types.KeyTypeHash), keyElem("version", types.KeyTypeRange)},
	})
	if err != nil {
		e.t.Fatalf("CreateTable sink: %v", err)
	}
	e.waitActive(sink)
	return &versionConsumer{e: e, arn: arn, sink: sink, its: map[string]string{}, done: map[string]bool{}, cp: map[string]string{}}
}

// poll reads every shard as far as it goes now and copies the records to
// the sink.
func (c *versionConsumer) poll() {
	c.e.t.Helper()
	for _, s := range lineageOrder(c.e.shards(c.arn, 0)) {
		if id := aws.ToString(s.ShardId); !c.done[id] {
			c.pollShard(id)
		}
	}
}

// pollShard reads one shard until it is caught up or ended.
func (c *versionConsumer) pollShard(shard string) {
	c.e.t.Helper()
	for range 1000 {
		if c.its[shard] == "" {
			c.its[shard] = c.acquire(shard)
		}
		out, err := c.e.st.GetRecords(ctx(c.e.t), &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(c.its[shard])})
		var expired *sstypes.ExpiredIteratorException
		var trimmed *sstypes.TrimmedDataAccessException
		switch {
		case errors.As(err, &expired):
			c.expired++
			c.its[shard] = ""
			continue
		case errors.As(err, &trimmed):
			c.trimmed = append(c.trimmed, shard)
			c.its[shard] = c.iterator(shard, sstypes.ShardIteratorTypeTrimHorizon, "")
			continue
		case err != nil:
			c.e.t.Fatalf("GetRecords on %s: %v", shard, err)
		}
		for _, r := range out.Records {
			c.copy(r)
			c.cp[shard] = aws.ToString(r.Dynamodb.SequenceNumber)
		}
		c.its[shard] = aws.ToString(out.NextShardIterator)
		if c.its[shard] == "" {
			c.done[shard] = true
			return
		}
		if len(out.Records) == 0 {
			return
		}
	}
	c.e.t.Fatalf("shard %s does not catch up", shard)
}

// acquire returns an iterator after the shard's checkpoint, or at its trim
// horizon when there is none or the checkpoint has been trimmed.
func (c *versionConsumer) acquire(shard string) string {
	c.e.t.Helper()
	cp := c.cp[shard]
	if cp == "" {
		return c.iterator(shard, sstypes.ShardIteratorTypeTrimHorizon, "")
	}
	it, err := c.tryIterator(shard, sstypes.ShardIteratorTypeAfterSequenceNumber, cp)
	var trimmed *sstypes.TrimmedDataAccessException
	if errors.As(err, &trimmed) {
		c.trimmed = append(c.trimmed, shard)
		return c.iterator(shard, sstypes.ShardIteratorTypeTrimHorizon, "")
	}
	if err != nil {
		c.e.t.Fatalf("GetShardIterator %s after %s: %v", shard, cp, err)
	}
	return it
}

func (c *versionConsumer) tryIterator(shard string, typ sstypes.ShardIteratorType, seq string) (string, error) {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(c.arn), ShardId: aws.String(shard), ShardIteratorType: typ}
	if seq != "" {
		in.SequenceNumber = aws.String(seq)
	}
	out, err := c.e.st.GetShardIterator(ctx(c.e.t), in)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.ShardIterator), nil
}

func (c *versionConsumer) iterator(shard string, typ sstypes.ShardIteratorType, seq string) string {
	c.e.t.Helper()
	it, err := c.tryIterator(shard, typ, seq)
	if err != nil {
		c.e.t.Fatalf("GetShardIterator %s %s: %v", shard, typ, err)
	}
	return it
}

// copy writes one INSERT or MODIFY record to the sink as (id, version)
// with its sequence number.
func (c *versionConsumer) copy(r rec) {
	c.e.t.Helper()
	img := streamItem(r.Dynamodb.NewImage)
	if img == nil {
		return
	}
	item := attrs{"id": img["id"], "version": img["v"], "seq": avS(aws.ToString(r.Dynamodb.SequenceNumber))}
	if _, err := c.e.db.PutItem(ctx(c.e.t), &dynamodb.PutItemInput{TableName: aws.String(c.sink), Item: item}); err != nil {
		c.e.t.Fatalf("sink PutItem %s: %v", attrsRender(item), err)
	}
}

// gap is one version the sink lacks, with the sequence numbers of the
// records around it (the versions before and after that it did get).
type gap struct {
	id            string
	version       int
	after, before string
}

func (g gap) String() string {
	return fmt.Sprintf("%s v%d (between %s and %s)", g.id, g.version, g.after, g.before)
}

// gaps is the detector: for every id, the versions missing between 1 and
// the newest version in the sink. (A loss of the newest versions is found
// only once a later version arrives.)
func (c *versionConsumer) gaps() []gap {
	c.e.t.Helper()
	items, _, _ := scanAllWith(c.e, c.sink)
	byID := map[string]map[int]string{}
	for _, it := range items {
		id := strings.TrimPrefix(avRender(it["id"]), "S:")
		v, err := strconv.Atoi(strings.TrimPrefix(avRender(it["version"]), "N:"))
		if err != nil {
			c.e.t.Fatalf("sink version %s: %v", avRender(it["version"]), err)
		}
		if byID[id] == nil {
			byID[id] = map[int]string{}
		}
		byID[id][v] = strings.TrimPrefix(avRender(it["seq"]), "S:")
	}
	var out []gap
	for id, seen := range byID {
		top := 0
		for v := range seen {
			top = max(top, v)
		}
		for v := 1; v < top; v++ {
			if _, ok := seen[v]; ok {
				continue
			}
			g := gap{id: id, version: v}
			for p := v - 1; p >= 1 && g.after == ""; p-- {
				g.after = seen[p]
			}
			for n := v + 1; n <= top && g.before == ""; n++ {
				g.before = seen[n]
			}
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].id < out[j].id || (out[i].id == out[j].id && out[i].version < out[j].version)
	})
	return out
}

// scanAllWith scans a table of e's emulator.
func scanAllWith(e *faultEnv, table string) ([]attrs, int, int32) {
	e.t.Helper()
	var items []attrs
	in := &dynamodb.ScanInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true)}
	pages, scanned := 0, int32(0)
	for {
		out, err := e.db.Scan(ctx(e.t), in)
		if err != nil {
			e.t.Fatalf("Scan %s: %v", table, err)
		}
		items = append(items, out.Items...)
		pages++
		scanned += out.ScannedCount
		if out.LastEvaluatedKey == nil {
			return items, pages, scanned
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// writeVersion stores version v of id: a put for v1, an update after.
func (e *faultEnv) writeVersion(table, id string, v int) {
	e.t.Helper()
	key := attrs{"id": avS(id)}
	if v == 1 {
		e.put(table, attrs{"id": avS(id), "v": avN("1")})
		return
	}
	e.update(table, key, "SET v = v + :one", attrs{":one": avN("1")})
}

// With a drop rule for one item's MODIFY records (times 2), the gaps the
// consumer reports are exactly the records the journal says were dropped:
// same item, same count, and each dropped sequence number lies between the
// records the consumer got around its gap.
func TestFaultScenarioVersionGapsEqualJournal(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeNewAndOldImages, "id")
	rule := e.addRule(faults.Rule{
		ID: "drop-hot-modify", Target: faults.TargetStream, Action: faults.Action{Type: faults.ActionDrop},
		Match: faults.Match{Table: table, EventName: []string{"MODIFY"},
			Key: map[string]faults.KeyPredicate{"id": {Equals: aws.String("hot")}}},
		When: faults.When{Times: 2},
	}).ID
	c := newVersionConsumer(e, arn)
	ids := []string{"cold-1", "hot", "cold-2"}
	for v := 1; v <= 6; v++ {
		for _, id := range ids {
			e.writeVersion(table, id, v)
		}
		c.poll()
	}
	gaps := c.gaps()
	dropped := e.journal(rule)
	if len(gaps) != 2 || len(dropped) != 2 {
		t.Fatalf("consumer reports gaps %v; journal has %d entries:\n%s\nwant 2 of each", gaps, len(dropped), entriesString(dropped))
	}
	sort.Slice(dropped, func(i, j int) bool {
		return seqNum(t, dropped[i].SequenceNumber).Cmp(seqNum(t, dropped[j].SequenceNumber)) < 0
	})
	for i, g := range gaps {
		x := dropped[i]
		wantEntry(t, x, faults.Entry{RuleID: rule, Action: faults.ActionDrop, Target: faults.TargetStream, Table: table,
			Keys: faultKey(attrs{"id": avS(g.id)}), EventName: "MODIFY", StreamArn: arn})
		seqBetween(t, x.SequenceNumber, g.after, g.before)
	}
	if c.trimmed != nil {
		t.Errorf("consumer saw TrimmedDataAccessException on %v; nothing was trimmed", c.trimmed)
	}
	e.wantStats(rule, 5, 2)
	for _, id := range ids {
		wantAttrs(t, "item "+id, e.get(table, attrs{"id": avS(id)}), attrs{"id": avS(id), "v": avN("6")})
	}
}

// A paused shard followed by a 25 h clock advance: the backlog that piled
// up while the shard was paused ages past the 24 h retention and is
// trimmed before the consumer could read it. The consumer's iterator has
// expired meanwhile (ExpiredIteratorException); renewing it from its
// checkpoint fails with TrimmedDataAccessException, and after restarting at
// TRIM_HORIZON its version detector reports the lost versions as a gap.
// The journal explains the loss: the pause and resume entries of the shard,
// and a loss entry naming each trimmed record the consumer never read; the
// consumer's missed-changes report lists the same records as trimmed.
// Periodic rollover is off (the zero Options), so the paused shard stays
// the only one.
func TestFaultScenarioPauseThenRetention(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeNewAndOldImages, "id")
	c := newVersionConsumer(e, arn)
	e.writeVersion(table, "hot", 1)
	e.writeVersion(table, "hot", 2)
	c.poll()
	if g := c.gaps(); len(g) != 0 {
		t.Fatalf("gaps before the pause: %v", g)
	}
	shard := aws.ToString(e.shards(arn, 0)[0].ShardId)
	e.pause(table, shard)
	for v := 3; v <= 5; v++ {
		e.writeVersion(table, "hot", v)
	}
	c.poll()
	if items, _, _ := scanAllWith(e, c.sink); len(items) != 2 {
		t.Fatalf("sink has %d items while the shard is paused, want 2", len(items))
	}
	e.advance(25 * time.Hour)
	e.resume(table, shard)
	e.writeVersion(table, "hot", 6)
	c.poll()

	gaps := c.gaps()
	if got := fmt.Sprint(gaps); len(gaps) != 3 || gaps[0].version != 3 || gaps[2].version != 5 {
		t.Fatalf("consumer reports gaps %s, want hot v3, v4, v5", got)
	}
	if len(c.trimmed) == 0 {
		t.Errorf("the consumer was not told of the trim (no TrimmedDataAccessException); it found the loss only as a gap")
	}
	if c.expired == 0 {
		t.Errorf("the consumer's 25 h old iterator did not expire")
	}
	t.Logf("detected: ExpiredIteratorException %d time(s), TrimmedDataAccessException on %v, gaps %v", c.expired, c.trimmed, gaps)
	j := e.journal("")
	var shardActions, trimmed []faults.Entry
	for _, x := range j {
		switch {
		case x.Kind == faults.KindShard:
			shardActions = append(shardActions, x)
		case x.Kind == faults.KindLoss && x.Reason == "trimmed":
			trimmed = append(trimmed, x)
		}
	}
	if len(shardActions) != 2 || len(trimmed) != 3 {
		t.Fatalf("journal:\n%s\nwant the pause, the resume and the 3 trimmed records", entriesString(j))
	}
	wantEntry(t, shardActions[0], faults.Entry{Action: faults.ShardPause, Target: faults.TargetShard, Table: table, ShardID: shard})
	wantEntry(t, shardActions[1], faults.Entry{Action: faults.ShardResume, Target: faults.TargetShard, Table: table, ShardID: shard})
	for i, x := range trimmed {
		if x.Consumer != testAccessKey || x.Keys.String() != "id=S:hot" || x.EventName != "MODIFY" || x.ShardID != shard {
			t.Errorf("trimmed entry %d: %s", i, entriesString([]faults.Entry{x}))
		}
	}
	wantMissed(t, e.missed(testAccessKey), "hot trimmed", "hot trimmed", "hot trimmed")
}
