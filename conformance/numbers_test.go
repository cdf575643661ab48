package conformance

import (
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Number semantics: canonical form, 38 significant digits, magnitude range,
// invalid texts, and keys that are equal after normalisation. Sources:
// scylladb test/alternator/test_number.py (AWS-verified) and dynalite
// validations/test/putItem.js (AWS-captured texts).

const (
	msgTooPrecise = "Attempting to store more than 38 significant digits in a Number"
	msgOverflow   = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	msgUnderflow  = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
	msgNotNumeric = "The parameter cannot be converted to a numeric value"
)

// numberTable creates a table keyed by pk (N) only.
func numberTable(t testing.TB) string {
	t.Helper()
	return createTable(t, &dynamodb.CreateTableInput{
		TableName:            aws.String("num"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeN}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
	})
}

// canonicalNumbers maps inputs to the plain-decimal text DynamoDB returns.
func canonicalNumbers() [][2]string {
	return [][2]string{
		{"007", "7"},
		{"+1.5", "1.5"},
		{"1.10", "1.1"},
		{"100.000", "100"},
		{"1e3", "1000"},
		{"1E3", "1000"},
		{"1e+5", "100000"},
		{"123e-2", "1.23"},
		{"-17e5", "-1700000"},
		{"-0", "0"},
		{"0e5", "0"},
		{"0e1000", "0"},
		{"0.000", "0"},
		{".5", "0.5"},
		{"-.5", "-0.5"},
		{"0001.23", "1.23"},
		{"1e-5", "0.00001"},
		{"-7.1234", "-7.1234"},
		{"1e125", "1" + strings.Repeat("0", 125)},
		{"1e-130", "0." + strings.Repeat("0", 129) + "1"},
		{"31415926535897932384626433832795028841e30", "31415926535897932384626433832795028841" + strings.Repeat("0", 30)},
		{"3.1415926535897932384626433832795028841", "3.1415926535897932384626433832795028841"},
	}
}

func TestNumberCanonicalForm(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	item := attrs{"pk": avS("n")}
	for i, c := range canonicalNumbers() {
		item["n"+strconv.Itoa(i)] = avN(c[0])
	}
	putOK(t, table, item)
	got := getOK(t, table, pk("n"))
	for i, c := range canonicalNumbers() {
		name := "n" + strconv.Itoa(i)
		n, ok := got[name].(*types.AttributeValueMemberN)
		if !ok {
			t.Errorf("%s (%s): got %s, want N", name, c[0], avRender(got[name]))
			continue
		}
		if n.Value != c[1] {
			t.Errorf("%s: stored %q, read back %q, want %q", name, c[0], n.Value, c[1])
		}
	}
}

func TestNumberCanonicalFormInSets(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	putOK(t, table, attrs{"pk": avS("n"), "ns": avNS("1e3", "+2.50", "-0.0")})
	wantAttrs(t, "GetItem", getOK(t, table, pk("n")), attrs{"pk": avS("n"), "ns": avNS("1000", "2.5", "0")})
}

// Numbers nested in lists and maps are numbers too; the reference (§2.2)
// states that returned numbers are always in plain decimal form.
func TestNumberCanonicalFormInDocuments(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	putOK(t, table, attrs{
		"pk": avS("n"),
		"l":  avL(avN("1E2")),
		"m":  avM(attrs{"x": avN("00.10")}),
	})
	want := attrs{
		"pk": avS("n"),
		"l":  avL(avN("100")),
		"m":  avM(attrs{"x": avN("0.1")}),
	}
	wantAttrs(t, "GetItem", getOK(t, table, pk("n")), want)
}

func TestNumberEqualKeysAreOneItem(t *testing.T) {
	t.Parallel()
	table := numberTable(t)
	c := ddb(t)
	putOK(t, table, attrs{"pk": avN("1e3"), "v": avS("first")})
	putOK(t, table, attrs{"pk": avN("1000.00"), "v": avS("second")})
	for _, k := range []string{"1000", "1e3", "+1000", "10e2", "1000.0"} {
		got := getOK(t, table, attrs{"pk": avN(k)})
		wantAttrs(t, "GetItem "+k, got, attrs{"pk": avN("1000"), "v": avS("second")})
	}
	// Deleting by another spelling removes the same item.
	if _, err := c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
		TableName: aws.String(table), Key: attrs{"pk": avN("0.1e4")},
	}); err != nil {
		t.Fatalf("DeleteItem: %v", err)
	}
	wantAttrs(t, "GetItem after delete", getOK(t, table, attrs{"pk": avN("1000")}), nil)
}

func TestNumberEqualSortKeysAreOneItem(t *testing.T) {
	t.Parallel()
	table := compositeTable(t)
	putOK(t, table, attrs{"pk": avS("p"), "sk": avN("-0"), "v": avS("zero")})
	putOK(t, table, attrs{"pk": avS("p"), "sk": avN("0.5"), "v": avS("half")})
	wantAttrs(t, "GetItem sk=0", getOK(t, table, attrs{"pk": avS("p"), "sk": avN("0")}),
		attrs{"pk": avS("p"), "sk": avN("0"), "v": avS("zero")})
	wantAttrs(t, "GetItem sk=5e-1", getOK(t, table, attrs{"pk": avS("p"), "sk": avN("5e-1")}),
		attrs{"pk": avS("p"), "sk": avN("0.5"), "v": avS("half")})
	wantAttrs(t, "GetItem sk=0.05", getOK(t, table, attrs{"pk": avS("p"), "sk": avN("0.05")}), nil)
}

func TestNumberPrecision(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	for _, ok := range []string{
		"12345678901234567890123456789012345678",
		"-1.2345678901234567890123456789012345678",
		"314159265358979323846.26433832795028841",
		"9.9999999999999999999999999999999999999E+125",
	} {
		if err := putErr(t, table, attrs{"pk": avS("ok"), "n": avN(ok)}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"123456789012345678901234567890123456789",
		"-1.23456789012345678901234567890123456789",
		"3.14159265358979323846264338327950288419",
		"314159265358979323846264338327950288419e30",
	} {
		wantAPIError(t, putErr(t, table, attrs{"pk": avS("bad"), "n": avN(bad)}), "ValidationException", one(msgTooPrecise))
	}
}

func TestNumberMagnitude(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	for _, ok := range []string{"1e125", "-1e125", "9.99999999e125", "1e-130", "-1e-130", "1e-100"} {
		if err := putErr(t, table, attrs{"pk": avS("ok"), "n": avN(ok)}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"1e126", "-1e126", "11e125", "1" + strings.Repeat("0", 126)} {
		wantAPIError(t, putErr(t, table, attrs{"pk": avS("big"), "n": avN(bad)}), "ValidationException", one(msgOverflow))
	}
	for _, bad := range []string{"1e-131", "-1e-131", "0.9e-130"} {
		wantAPIError(t, putErr(t, table, attrs{"pk": avS("tiny"), "n": avN(bad)}), "ValidationException", one(msgUnderflow))
	}
}

func TestNumberMagnitudeInKey(t *testing.T) {
	t.Parallel()
	table := numberTable(t)
	wantAPIError(t, putErr(t, table, attrs{"pk": avN("1e126")}), "ValidationException", one(msgOverflow))
	wantAPIError(t, putErr(t, table, attrs{"pk": avN("1e-131")}), "ValidationException", one(msgUnderflow))
	_, err := ddb(t).GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: attrs{"pk": avN("1e126")}})
	wantAPIError(t, err, "ValidationException", msgOverflow) // GetItem: current layer, bare
}

func TestNumberNotNumeric(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	for _, bad := range []string{"dog", "-dog", "NaN", "-NaN", "Infinity", "-Infinity", " 1", "1 ", "1e", "--1", "0x10", "1,5"} {
		t.Run(bad, func(t *testing.T) {
			wantAPIError(t, putErr(t, table, attrs{"pk": avS("x"), "n": avN(bad)}), "ValidationException",
				one(msgNotNumeric+": "+bad))
		})
	}
	t.Run("empty", func(t *testing.T) {
		// The current layer keeps the colon and a space after it.
		wantAPIError(t, putErr(t, table, attrs{"pk": avS("x"), "n": avN("")}), "ValidationException", one(msgNotNumeric+": "))
	})
	t.Run("in set", func(t *testing.T) {
		wantAPIError(t, putErr(t, table, attrs{"pk": avS("x"), "n": avNS("1", "b", "a")}), "ValidationException",
			one(msgNotNumeric+": b"))
	})
	t.Run("key", func(t *testing.T) {
		nt := numberTable(t)
		wantAPIErrorContains(t, putErr(t, nt, attrs{"pk": avN("dog")}), "ValidationException", "numeric")
	})
}
