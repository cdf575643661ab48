package load

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// mixedGetPercent is the share of reads in the mixed workload.
const mixedGetPercent = 80

// opFor returns the op of the put, get, mixed and query workloads (and of
// the stream workload's writers).
func opFor(c Config, db *dynamodb.Client, table string) op {
	d := payload()
	switch c.Workload {
	case Get:
		return getOp(db, table, c.Items)
	case Mixed:
		get := getOp(db, table, c.Items)
		return func(ctx context.Context, rng *rand.Rand) error {
			if rng.IntN(100) < mixedGetPercent {
				return get(ctx, rng)
			}
			return putItem(ctx, db, table, newItem(itemKey(rng.IntN(c.Items)), "0", d))
		}
	case Query:
		return queryOp(db, table)
	case Stream, Mapping:
		return func(ctx context.Context, rng *rand.Rand) error {
			it := newItem(randomKey(rng), "0", d)
			it[attrTS] = &types.AttributeValueMemberN{Value: strconv.FormatInt(time.Now().UnixNano(), 10)}
			return putItem(ctx, db, table, it)
		}
	default: // Put
		return func(ctx context.Context, rng *rand.Rand) error {
			return putItem(ctx, db, table, newItem(randomKey(rng), "0", d))
		}
	}
}

// randomKey returns a random partition key of 17 characters.
func randomKey(rng *rand.Rand) string { return fmt.Sprintf("p%016x", rng.Uint64()) }

func putItem(ctx context.Context, db *dynamodb.Client, table string, item map[string]types.AttributeValue) error {
	_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item})
	return err
}

// getOp reads a random preloaded item; a missing item is an error.
func getOp(db *dynamodb.Client, table string, items int) op {
	return func(ctx context.Context, rng *rand.Rand) error {
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key(itemKey(rng.IntN(items)), "0")})
		if err == nil && out.Item == nil {
			return errMissing
		}
		return err
	}
}

// queryOp reads the first page of the query partition; a short page is an
// error.
func queryOp(db *dynamodb.Client, table string) op {
	return func(ctx context.Context, _ *rand.Rand) error {
		out, err := db.Query(ctx, &dynamodb.QueryInput{
			TableName:                 aws.String(table),
			KeyConditionExpression:    aws.String("pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: queryPK}},
		})
		if err == nil && out.Count != queryPartitionSize {
			return errMissing
		}
		return err
	}
}

// errMissing reports a read that did not find the preloaded data.
var errMissing = errors.New("preloaded item missing")
