package dynafaulttest_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/dynafault/dynafault/emulator/dynafaulttest"
	"github.com/dynafault/dynafault/faults"
)

// TestExampleLambdaHandler runs a team's aws-lambda-go stream handler
// in-process behind an event source mapping: it reports a poison order as
// a batch item failure; the mapping retries it twice, then discards it,
// and the journal names it.
func TestExampleLambdaHandler(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	handler := func(_ context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		var resp events.DynamoDBEventResponse
		for _, r := range ev.Records {
			id := r.Change.Keys["id"].String()
			if id == "poison" {
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
				continue
			}
			mu.Lock()
			seen = append(seen, id)
			mu.Unlock()
		}
		return resp, nil
	}
	srv := dynafaulttest.Start(t,
		dynafaulttest.WithFunctions(dynafaulttest.Function{Name: "orders-handler", Handler: dynafaulttest.DynamoDBHandler(handler)}),
		dynafaulttest.WithRetryBackoff(time.Millisecond, 10*time.Millisecond))
	ctx := t.Context()
	db := srv.DynamoDB()
	out, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("orders"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage},
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	m, err := srv.Lambda().CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{
		FunctionName:          aws.String("orders-handler"),
		EventSourceArn:        out.TableDescription.LatestStreamArn,
		StartingPosition:      ltypes.EventSourcePositionTrimHorizon,
		MaximumRetryAttempts:  aws.Int32(2),
		FunctionResponseTypes: []ltypes.FunctionResponseType{ltypes.FunctionResponseTypeReportBatchItemFailures},
	})
	if err != nil {
		t.Fatalf("CreateEventSourceMapping: %v", err)
	}
	for _, id := range []string{"o-1", "poison", "o-2"} {
		item := map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item}); err != nil {
			t.Fatalf("PutItem: %v", err)
		}
	}
	entry, err := waitDiscard(ctx, srv, aws.ToString(m.UUID))
	if err != nil {
		t.Fatal(err)
	}
	if entry.Keys.String() != "id=S:poison" || entry.Reason != "discarded" {
		t.Fatalf("journal entry = %+v", entry)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		done := slices.Contains(seen, "o-2")
		got := slices.Clone(seen)
		mu.Unlock()
		if done {
			if got[0] != "o-1" {
				t.Fatalf("handled %v", got)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("o-2 never handled; handled %v", got)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitDiscard waits for the journal entry of a record the mapping discarded.
func waitDiscard(ctx context.Context, srv *dynafaulttest.Server, uuid string) (faults.Entry, error) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		page := srv.Emulator.Faults().Journal(faults.JournalQuery{Kind: faults.KindLoss})
		for _, e := range page.Entries {
			if e.Consumer == uuid {
				return e, nil
			}
		}
		select {
		case <-ctx.Done():
			return faults.Entry{}, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return faults.Entry{}, errors.New("no discard journaled")
}
