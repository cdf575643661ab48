package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/sdkhttp"
	"github.com/dynafault/dynafault/faults/client"
)

// Checking a sink against the change ledger: a view builder copies the
// orders table's stream into the orders-view table, stalls after two
// records, and the clock moves past retention. The ledger folded per key
// is what the view should hold; every difference is a change the view
// builder missed, with the reason.
func Example_checkASink() {
	ctx := context.Background()
	emu, err := emulator.New(emulator.Options{Clock: clock.NewFrozen(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		panic(err)
	}
	defer emu.Close()
	srv := httptest.NewServer(emu.Handler())
	defer srv.Close()
	adm := client.New(srv.URL)
	db := dynamodb.NewFromConfig(sdkConfig(srv.URL, "writer"))
	createOrderTables(ctx, db)
	writeOrders(ctx, db)
	buildViewThenStall(ctx, sdkConfig(srv.URL, "view-builder"), 2)
	if _, err := adm.AdvanceClock(ctx, 25*time.Hour); err != nil {
		panic(err)
	}

	// 1. The ground truth: the ledger, folded per key (the last change
	// decides; REMOVE: absent).
	changes, err := adm.ChangesAll(ctx, "orders", 0)
	if err != nil {
		panic(err)
	}
	want := map[string]string{}
	for _, c := range changes {
		pk := c.Keys["pk"]["S"].(string)
		if c.EventName == "REMOVE" {
			delete(want, pk)
			continue
		}
		want[pk] = c.NewImage["total"]["N"].(string)
	}
	// 2. The sink.
	got := map[string]string{}
	scan, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("orders-view")})
	if err != nil {
		panic(err)
	}
	for _, it := range scan.Items {
		got[it["pk"].(*types.AttributeValueMemberS).Value] = it["total"].(*types.AttributeValueMemberN).Value
	}
	// 3. Every difference must be a change the view builder missed;
	// one that is not is a bug in its processing, not in delivery.
	missed, err := adm.MissedAll(ctx, "view-builder", client.MissedQuery{})
	if err != nil {
		panic(err)
	}
	why := map[string][]string{}
	for _, m := range missed {
		pk := m.Keys["pk"]["S"].(string)
		why[pk] = append(why[pk], m.EventName+" "+m.Reason)
	}
	var keys []string
	for pk := range want {
		keys = append(keys, pk)
	}
	for pk := range got {
		if _, ok := want[pk]; !ok {
			keys = append(keys, pk)
		}
	}
	slices.Sort(keys)
	for _, pk := range keys {
		if want[pk] != got[pk] {
			fmt.Printf("%s: view %q, committed %q; missed %v\n", pk, got[pk], want[pk], why[pk])
		}
	}
	// In a Go test, client.ExpectNoMissed(t, adm, "view-builder", false)
	// fails the test with the list of missed changes.

	// Output:
	// ORDER#1: view "10", committed "15"; missed [MODIFY trimmed]
	// ORDER#2: view "20", committed ""; missed [REMOVE trimmed]
	// ORDER#3: view "", committed "30"; missed [INSERT trimmed]
}

// sdkConfig is an aws-sdk-go-v2 configuration for the server at url,
// signing with the access key id akid (which tells stream consumers
// apart); sdkhttp.Transport is the transport fix for a server this fast.
func sdkConfig(url, akid string) aws.Config {
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider(akid, "secret", ""),
		HTTPClient:  &http.Client{Transport: sdkhttp.Transport(nil)}}
}

// createOrderTables creates orders (with a NEW_IMAGE stream) and
// orders-view, both keyed by pk.
func createOrderTables(ctx context.Context, db *dynamodb.Client) {
	for _, name := range []string{"orders", "orders-view"} {
		in := &dynamodb.CreateTableInput{
			TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest,
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		}
		if name == "orders" {
			in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage}
		}
		if _, err := db.CreateTable(ctx, in); err != nil {
			panic(err)
		}
	}
}

// writeOrders commits five changes to orders: three INSERTs, a MODIFY
// and a REMOVE.
func writeOrders(ctx context.Context, db *dynamodb.Client) {
	put := func(pk, total string) {
		_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: pk}, "total": &types.AttributeValueMemberN{Value: total}}})
		if err != nil {
			panic(err)
		}
	}
	put("ORDER#1", "10")
	put("ORDER#2", "20")
	put("ORDER#1", "15")
	put("ORDER#3", "30")
	_, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "ORDER#2"}}})
	if err != nil {
		panic(err)
	}
}

// buildViewThenStall is a view builder that applies the first n records
// of the orders stream to orders-view, then stops reading.
func buildViewThenStall(ctx context.Context, cfg aws.Config, n int32) {
	st, db := dynamodbstreams.NewFromConfig(cfg), dynamodb.NewFromConfig(cfg)
	tables, err := st.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("orders")})
	if err != nil {
		panic(err)
	}
	arn := tables.Streams[0].StreamArn
	desc, err := st.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: arn})
	if err != nil {
		panic(err)
	}
	it, err := st.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: arn,
		ShardId: desc.StreamDescription.Shards[0].ShardId, ShardIteratorType: sstypes.ShardIteratorTypeTrimHorizon})
	if err != nil {
		panic(err)
	}
	page, err := st.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator, Limit: aws.Int32(n)})
	if err != nil {
		panic(err)
	}
	for _, r := range page.Records {
		pk := r.Dynamodb.Keys["pk"].(*sstypes.AttributeValueMemberS).Value
		if r.EventName == sstypes.OperationTypeRemove {
			_, err = db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders-view"),
				Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}})
		} else {
			total := r.Dynamodb.NewImage["total"].(*sstypes.AttributeValueMemberN).Value
			_, err = db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders-view"), Item: map[string]types.AttributeValue{
				"pk": &types.AttributeValueMemberS{Value: pk}, "total": &types.AttributeValueMemberN{Value: total}}})
		}
		if err != nil {
			panic(err)
		}
	}
}
