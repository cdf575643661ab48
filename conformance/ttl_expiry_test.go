package conformance

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Expiry of items by time to live (docs.aws.amazon.com TTL page, reference
// §3.4): an item whose TTL attribute is a Number of epoch seconds in the
// past is deleted by a background sweep, but until then it still reads;
// items without the attribute, with a non-Number one, or with a time more
// than five years in the past never expire. In-process the sweep runs on
// demand through the admin endpoint POST /_admin/ttl/sweep.

// sweepTTL runs a TTL sweep now, or skips the test when the endpoint is not
// an in-process dynafault.
func sweepTTL(t testing.TB) {
	t.Helper()
	if external() {
		t.Skip("expired items are removed only by dynafault's admin sweep; DynamoDB Local does not delete expired items (reference §8.1)")
	}
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPost, endpoint+"/_admin/ttl/sweep", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /_admin/ttl/sweep: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST /_admin/ttl/sweep: HTTP %d", resp.StatusCode)
	}
}

// epoch is the epoch-seconds Number of now plus d.
func epoch(d time.Duration) types.AttributeValue {
	return avN(strconv.FormatInt(time.Now().Add(d).Unix(), 10))
}

// The TTL sweep tests are not parallel: a sweep deletes the expired items
// of every table, so one test's sweep would delete the items another
// checks are still there before its own sweep.
func TestTTLExpiryDeletesExpiredItems(t *testing.T) {
	table := hashTable(t)
	if _, err := updateTTL(t, table, ttlSpec("exp", true)); err != nil {
		t.Fatalf("UpdateTimeToLive: %v", err)
	}
	items := map[string]attrs{
		"past":        {"pk": avS("past"), "exp": epoch(-time.Hour)},
		"just past":   {"pk": avS("just past"), "exp": epoch(-2 * time.Second), "v": avS("x")},
		"future":      {"pk": avS("future"), "exp": epoch(time.Hour)},
		"no attr":     {"pk": avS("no attr")},
		"string attr": {"pk": avS("string attr"), "exp": avS(scalar(epoch(-time.Hour)))},
		"ancient":     {"pk": avS("ancient"), "exp": epoch(-6 * 366 * 24 * time.Hour)},
	}
	for _, it := range items {
		putOK(t, table, it)
	}
	// Expired but not yet swept: still read, still updatable.
	wantAttrs(t, "expired before the sweep", getOK(t, table, pk("past")), items["past"])
	if _, err := ddb(t).UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
		TableName: aws.String(table), Key: pk("just past"),
		UpdateExpression: aws.String("SET v = :v"), ExpressionAttributeValues: attrs{":v": avS("y")},
	}); err != nil {
		t.Fatalf("UpdateItem of an expired item: %v", err)
	}

	sweepTTL(t)
	for name, it := range items {
		got := getOK(t, table, pk(name))
		switch name {
		case "past", "just past":
			wantAttrs(t, name+" after the sweep", got, nil)
		default:
			wantAttrs(t, name+" after the sweep", got, it)
		}
	}
	scanned, _, _ := scanAll(t, &dynamodb.ScanInput{TableName: aws.String(table)})
	if len(scanned) != 4 {
		t.Fatalf("Scan after the sweep: %d items, want 4", len(scanned))
	}
}

func TestTTLExpiryOnlyWhenEnabled(t *testing.T) {
	table := hashTable(t)
	item := attrs{"pk": avS("k"), "exp": epoch(-time.Hour)}
	putOK(t, table, item)
	sweepTTL(t)
	wantAttrs(t, "TTL disabled", getOK(t, table, pk("k")), item)
}
