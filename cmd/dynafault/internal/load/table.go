package load

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Item shape: key pk (S) and sk (S), a payload d that brings a put item to
// about 100 bytes, and ts (N, the writer's Unix nanoseconds) in stream
// workload items.
const (
	attrPK      = "pk"
	attrSK      = "sk"
	attrPayload = "d"
	attrTS      = "ts"
	payloadLen  = 76
	batchSize   = 25 // BatchWriteItem's limit
)

// tableName returns a name no other run uses.
func tableName(workload string) string {
	return "dynafault-load-" + workload + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
}

// createTable creates an on-demand table keyed on pk and sk, with a
// NEW_IMAGE stream when stream is true, and waits until it is ACTIVE.
func createTable(ctx context.Context, db *dynamodb.Client, name string, stream bool) error {
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(attrPK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(attrSK), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(attrPK), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(attrSK), KeyType: types.KeyTypeRange},
		},
	}
	if stream {
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage}
	}
	if _, err := db.CreateTable(ctx, in); err != nil {
		return fmt.Errorf("create table %s: %w", name, err)
	}
	return waitActive(ctx, db, name)
}

// waitActive polls DescribeTable until the table is ACTIVE (30 s at most).
func waitActive(ctx context.Context, db *dynamodb.Client, name string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err == nil && out.Table.TableStatus == types.TableStatusActive {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("table %s not ACTIVE after 30s (last error: %v)", name, err)
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
}

// deleteTable deletes the table, with its own short deadline so that it
// also runs after the run's context was cancelled.
func deleteTable(db *dynamodb.Client, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	return err
}

// payload is the filler attribute value of every written item.
func payload() types.AttributeValue {
	return &types.AttributeValueMemberS{Value: strings.Repeat("x", payloadLen)}
}

// newItem returns an item with the key and the payload.
func newItem(pk, sk string, d types.AttributeValue) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: pk}, attrSK: &types.AttributeValueMemberS{Value: sk}, attrPayload: d,
	}
}

// key returns the key of pk and sk.
func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: pk}, attrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

// itemKey is the partition key of preloaded item i of get and mixed.
func itemKey(i int) string { return fmt.Sprintf("item-%06d", i) }

// querySK is the sort key of item i of the query partition.
func querySK(i int) string { return fmt.Sprintf("%03d", i) }

// queryPK is the partition key of the query workload's partition.
const queryPK = "query-partition"

// preloadItems returns the items a workload reads.
func preloadItems(c Config) []map[string]types.AttributeValue {
	d := payload()
	var items []map[string]types.AttributeValue
	switch c.Workload {
	case Get, Mixed, Soak:
		for i := range c.Items {
			items = append(items, newItem(itemKey(i), "0", d))
		}
	case Query:
		for i := range queryPartitionSize {
			items = append(items, newItem(queryPK, querySK(i), d))
		}
	}
	return items
}

// preload writes items with BatchWriteItem, up to parallel batches at a
// time, retrying unprocessed items.
func preload(ctx context.Context, db *dynamodb.Client, table string, items []map[string]types.AttributeValue, parallel int) error {
	batches := make(chan []map[string]types.AttributeValue)
	errs := make(chan error, parallel)
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for b := range batches {
				if err := writeBatch(ctx, db, table, b); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	go func() {
		defer close(batches)
		for i := 0; i < len(items); i += batchSize {
			select {
			case batches <- items[i:min(i+batchSize, len(items))]:
			case <-ctx.Done():
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	return errors.Join(<-errs, ctx.Err())
}

// writeBatch puts up to 25 items, resending unprocessed ones with backoff.
func writeBatch(ctx context.Context, db *dynamodb.Client, table string, items []map[string]types.AttributeValue) error {
	reqs := make([]types.WriteRequest, len(items))
	for i, it := range items {
		reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
	}
	pending := map[string][]types.WriteRequest{table: reqs}
	for attempt := 0; len(pending[table]) > 0; attempt++ {
		if attempt == 10 {
			return fmt.Errorf("preload: %d items still unprocessed after 10 attempts", len(pending[table]))
		}
		out, err := db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
		if err != nil {
			if isThrottle(errorName(err)) {
				_ = sleep(ctx, time.Duration(attempt+1)*50*time.Millisecond)
				continue
			}
			return fmt.Errorf("preload: %w", err)
		}
		pending = out.UnprocessedItems
		if len(pending[table]) > 0 {
			_ = sleep(ctx, time.Duration(attempt+1)*50*time.Millisecond)
		}
	}
	return nil
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
