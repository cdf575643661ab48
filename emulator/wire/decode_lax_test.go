package wire

import (
	"slices"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/engine"
)

// TestLaxDecode: every member is read, an invalid attribute value is left
// at a placeholder (a map keeps its valid entries) and the first one in
// document order is reported with its path.
func TestLaxDecode(t *testing.T) {
	var in engine.TransactWriteItemsInput
	body := `{"transactitems":[
		{"Put":{"TableName":"a","Item":{"pk":{"S":"x"}},"ConditionExpression":"attribute_exists(pk)"}},
		{"Put":{"TableName":"b","Item":{"pk":{"S":"y"},"bad":{"SS":[]},"ok":{"N":"1"},"worse":{}}}}],
		"ReturnConsumedCapacity":"TOTAL","Unknown":{"x":[1,2]}}`
	verr, path, ok := laxDecode([]byte(body), &in)
	if !ok || verr == nil {
		t.Fatalf("ok %v, err %v", ok, verr)
	}
	if want := []string{"transactitems", "1", "Put", "Item"}; !slices.Equal(path, want) {
		t.Errorf("path %q, want %q", path, want)
	}
	if got := verr.Error(); got != "One or more parameter values were invalid: An string set  may not be empty" {
		t.Errorf("error %q", got)
	}
	if len(in.TransactItems) != 2 || in.ReturnConsumedCapacity == nil || *in.ReturnConsumedCapacity != "TOTAL" {
		t.Fatalf("decoded %+v", in)
	}
	p0, p1 := in.TransactItems[0].Put, in.TransactItems[1].Put
	if p0 == nil || *p0.TableName != "a" || p0.ConditionExpression == nil || p1 == nil || *p1.TableName != "b" {
		t.Fatalf("actions %+v %+v", p0, p1)
	}
	// The item keeps its valid entries and a placeholder for each invalid one.
	item := p1.Item
	if len(item) != 4 || item["pk"].S != "y" || item["ok"].Type != attr.N || item["bad"].Type != attr.Invalid {
		t.Errorf("item %v", item)
	}

	// A serialization error anywhere makes the lax decode give up.
	for _, body := range []string{
		`{"TransactItems":[{"Put":{"TableName":"a","Item":{"x":{"SS":[]}}}}],"ReturnConsumedCapacity":5}`,
		`{"TransactItems":[{"Put":{"TableName":"a","Item":{"x":{"SS":[]}}}}],"ClientRequestToken":{}}`,
		`{"TransactItems":{"Put":{}}}`,
		`{"TransactItems":[{"Put":{"TableName":"a","Item":{"x":{"B":"!!"}}}}]}`,
		`[]`,
	} {
		var in engine.TransactWriteItemsInput
		if _, _, ok := laxDecode([]byte(body), &in); ok {
			t.Errorf("%s: lax decode succeeded", body)
		}
	}
}

// TestDecodeDeferredOnlyForValueErrors: a serialization error, or a value
// error of an operation without attribute values, is answered as decode
// gave it.
func TestDecodeDeferredOnlyForValueErrors(t *testing.T) {
	body := []byte(`{"TableName":"tab","Item":{"a":{}}}`)
	var strict engine.PutItemInput
	err := decode(body, &strict)
	if err == nil {
		t.Fatal("strict decode accepted an empty AttributeValue")
	}
	in, ok := decodeDeferred[engine.PutItemInput](body, err)
	if !ok || in.TableName == nil || *in.TableName != "tab" || in.Item == nil {
		t.Fatalf("deferred: %v %+v", ok, in)
	}
	if _, ok := decodeDeferred[engine.PutItemInput](body, errSerialization()); ok {
		t.Error("a serialization error was deferred")
	}
	if _, ok := decodeDeferred[engine.CreateTableInput]([]byte(`{"TableName":"t"}`), err); ok {
		t.Error("an operation without attribute values held an error")
	}
}
