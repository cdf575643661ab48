package certify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The attributes of a workload item.
const (
	// AttrKey is the partition key (S): "item-0007".
	AttrKey = "pk"
	// AttrVersion (N) counts the item's writes: 1 at its first insert,
	// one more at each update, delete and re-insert.
	AttrVersion = "version"
	// AttrWrite (N) is the workload's write number (from 1) that wrote it.
	AttrWrite = "write"
	// AttrPayload (S) is filler of Workload.PayloadBytes.
	AttrPayload = "payload"
)

// Write kinds of the workload.
const (
	opInsert = "insert"
	opUpdate = "update"
	opDelete = "delete"
)

// op is one write of a workload.
type op struct {
	n       int // write number, from 1
	key     int // item index
	kind    string
	version int // the item's version after it (of the deleted item for a delete)
}

// ItemKey is the partition key value of workload item i.
func ItemKey(i int) string { return fmt.Sprintf("item-%04d", i) }

// plan draws the writes of w (with defaults) from seed: the same seed and
// workload give the same writes.
func plan(w Workload, seed uint64) []op {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) //nolint:gosec // a workload, not a secret
	type item struct {
		exists  bool
		version int
	}
	items := make([]item, w.Keys)
	ops := make([]op, 0, w.Writes)
	for n := 1; n <= w.Writes; n++ {
		k := rng.IntN(w.Keys)
		it := &items[k]
		o := op{n: n, key: k}
		switch {
		case !it.exists:
			it.exists, it.version = true, it.version+1
			o.kind = opInsert
		case rng.Float64() < w.DeleteRatio:
			it.exists = false
			o.kind = opDelete
		default:
			it.version++
			o.kind = opUpdate
		}
		o.version = it.version
		if o.kind == opDelete {
			it.version++ // the delete consumes a version: a re-insert skips it
		}
		ops = append(ops, o)
	}
	return ops
}

// scenarioSeed is the workload seed of a scenario: its own, else one
// derived from the battery's seed and its name.
func scenarioSeed(s Scenario, battery uint64) uint64 {
	if s.Workload.Seed != 0 {
		return s.Workload.Seed
	}
	h := battery ^ 0xcbf29ce484222325
	for i := range len(s.Name) {
		h ^= uint64(s.Name[i])
		h *= 0x100000001b3
	}
	return h
}

// payload is n deterministic letters for write number n.
func payload(write, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + (write+i)%26)
	}
	return string(b)
}

// writer applies a workload's writes to a table.
type writer struct {
	db      *dynamodb.Client
	table   string
	keyAttr string
	payload int
	rate    float64
	start   time.Time
}

// apply performs one write.
func (w *writer) apply(ctx context.Context, o op) error {
	if w.rate > 0 {
		due := w.start.Add(time.Duration(float64(o.n-1) / w.rate * float64(time.Second)))
		if err := sleep(ctx, time.Until(due)); err != nil {
			return err
		}
	}
	key := map[string]types.AttributeValue{w.keyAttr: &types.AttributeValueMemberS{Value: ItemKey(o.key)}}
	var err error
	switch o.kind {
	case opInsert:
		item := map[string]types.AttributeValue{
			w.keyAttr:   key[w.keyAttr],
			AttrVersion: num(o.version),
			AttrWrite:   num(o.n),
			AttrPayload: &types.AttributeValueMemberS{Value: payload(o.n, w.payload)},
		}
		_, err = w.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(w.table), Item: item})
	case opUpdate:
		_, err = w.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: aws.String(w.table), Key: key,
			UpdateExpression:         aws.String("SET #v = :v, #w = :w, #p = :p"),
			ExpressionAttributeNames: map[string]string{"#v": AttrVersion, "#w": AttrWrite, "#p": AttrPayload},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":v": num(o.version), ":w": num(o.n), ":p": &types.AttributeValueMemberS{Value: payload(o.n, w.payload)},
			},
		})
	case opDelete:
		_, err = w.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(w.table), Key: key})
	}
	if err != nil {
		return fmt.Errorf("write %d (%s %s v%d): %w", o.n, o.kind, ItemKey(o.key), o.version, err)
	}
	return nil
}

func num(n int) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.Itoa(n)}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
