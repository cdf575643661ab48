package wire

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/engine"
)

// appendFunc appends the JSON of an output to dst.
type appendFunc[Out any] func(dst []byte, out *Out) ([]byte, error)

// fastEncoder returns, for the outputs of the data path (single items,
// Query and Scan), an encoder that appends items with attr.AppendItemJSON,
// or attr.AppendPackedJSON for the whole items the engine returns packed,
// instead of going through encoding/json (which calls MarshalJSON per item
// and then validates and copies its output again). The bytes are the same
// as encode's (encode_fast_test.go compares them). It returns nil for any
// other type, and for these when their JSON members are no longer the
// ones the encoder writes, so a new member is never silently dropped.
func fastEncoder[Out any]() appendFunc[Out] {
	var f any
	var members string
	switch any((*Out)(nil)).(type) {
	case *engine.GetItemOutput:
		f, members = appendGetItemOutput, getItemMembers
	case *engine.PutItemOutput:
		f, members = appendPutItemOutput, writeItemMembers
	case *engine.UpdateItemOutput:
		f, members = appendUpdateItemOutput, writeItemMembers
	case *engine.DeleteItemOutput:
		f, members = appendDeleteItemOutput, writeItemMembers
	case *engine.QueryOutput:
		f, members = appendQueryOutput, pageMembers
	case *engine.ScanOutput:
		f, members = appendScanOutput, pageMembers
	default:
		return nil
	}
	if jsonMembers(reflect.TypeFor[Out]()) != members {
		return nil
	}
	return f.(func([]byte, *Out) ([]byte, error))
}

// The json tags the fast encoders are written for, in field order.
const (
	getItemMembers   = "Item,omitzero ConsumedCapacity,omitempty"
	writeItemMembers = "Attributes,omitempty ConsumedCapacity,omitempty ItemCollectionMetrics,omitempty"
	pageMembers      = "Items,omitzero Count ScannedCount LastEvaluatedKey,omitempty ConsumedCapacity,omitempty"
)

// jsonMembers lists the json tags of struct t's fields in order, separated
// by spaces.
func jsonMembers(t reflect.Type) string {
	tags := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		tags = append(tags, t.Field(i).Tag.Get("json"))
	}
	return strings.Join(tags, " ")
}

func appendGetItemOutput(dst []byte, o *engine.GetItemOutput) ([]byte, error) {
	dst = append(dst, '{')
	n := len(dst)
	if !o.Item.IsZero() {
		var err error
		dst = appendMemberName(dst, n, "Item")
		if dst, err = appendReadItem(dst, o.Item); err != nil {
			return dst, err
		}
	}
	dst, err := appendCapacity(dst, n, o.ConsumedCapacity)
	return append(dst, '}'), err
}

func appendPutItemOutput(dst []byte, o *engine.PutItemOutput) ([]byte, error) {
	return appendWriteOutput(dst, o.Attributes, o.ConsumedCapacity, o.ItemCollectionMetrics)
}

func appendUpdateItemOutput(dst []byte, o *engine.UpdateItemOutput) ([]byte, error) {
	return appendWriteOutput(dst, o.Attributes, o.ConsumedCapacity, o.ItemCollectionMetrics)
}

func appendDeleteItemOutput(dst []byte, o *engine.DeleteItemOutput) ([]byte, error) {
	return appendWriteOutput(dst, o.Attributes, o.ConsumedCapacity, o.ItemCollectionMetrics)
}

// appendWriteOutput appends a PutItem, UpdateItem or DeleteItem output.
func appendWriteOutput(dst []byte, attrs attr.Item, cc *engine.ConsumedCapacity, icm *engine.ItemCollectionMetrics) ([]byte, error) {
	dst = append(dst, '{')
	n := len(dst)
	if len(attrs) > 0 {
		dst = appendItemMember(dst, n, "Attributes", attrs)
	}
	dst, err := appendCapacity(dst, n, cc)
	if err == nil && icm != nil {
		dst, err = appendMember(dst, n, "ItemCollectionMetrics", icm)
	}
	return append(dst, '}'), err
}

func appendQueryOutput(dst []byte, o *engine.QueryOutput) ([]byte, error) {
	return appendPage(dst, o.Items, o.Count, o.ScannedCount, o.LastEvaluatedKey, o.ConsumedCapacity)
}

func appendScanOutput(dst []byte, o *engine.ScanOutput) ([]byte, error) {
	return appendPage(dst, o.Items, o.Count, o.ScannedCount, o.LastEvaluatedKey, o.ConsumedCapacity)
}

// appendPage appends a Query or Scan output.
func appendPage(dst []byte, items []engine.ReadItem, count, scanned int, last attr.Item, cc *engine.ConsumedCapacity) ([]byte, error) {
	dst = append(dst, '{')
	if items != nil {
		dst = append(dst, `"Items":[`...)
		for i, it := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendReadItem(dst, it); err != nil {
				return dst, err
			}
		}
		dst = append(dst, "],"...)
	}
	dst = append(dst, `"Count":`...)
	dst = strconv.AppendInt(dst, int64(count), 10)
	dst = append(dst, `,"ScannedCount":`...)
	dst = strconv.AppendInt(dst, int64(scanned), 10)
	if len(last) > 0 {
		dst = appendItemMember(dst, 0, "LastEvaluatedKey", last)
	}
	dst, err := appendCapacity(dst, 0, cc)
	return append(dst, '}'), err
}

// appendItemMember appends "name":item, after a comma unless nothing was
// written since offset start (the position after the object's '{'; 0
// when a member is known to precede).
func appendItemMember(dst []byte, start int, name string, it attr.Item) []byte {
	dst = appendMemberName(dst, start, name)
	return appendItem(dst, it)
}

// appendItem appends an item as its MarshalJSON does: null for nil.
func appendItem(dst []byte, it attr.Item) []byte {
	if it == nil {
		return append(dst, "null"...)
	}
	return attr.AppendItemJSON(dst, it)
}

// appendReadItem appends an item a read returns, from its packed form
// when it has one.
func appendReadItem(dst []byte, r engine.ReadItem) ([]byte, error) {
	if packed, ok := r.Packed(); ok {
		return attr.AppendPackedJSON(dst, packed)
	}
	return appendItem(dst, r.Item()), nil
}

// appendCapacity appends the ConsumedCapacity member when cc is set.
func appendCapacity(dst []byte, start int, cc *engine.ConsumedCapacity) ([]byte, error) {
	if cc == nil {
		return dst, nil
	}
	return appendMember(dst, start, "ConsumedCapacity", cc)
}

// appendMember appends "name": and v encoded by encode (for the members
// that are rare on the data path).
func appendMember(dst []byte, start int, name string, v any) ([]byte, error) {
	var b bytes.Buffer
	if err := encode(&b, v); err != nil {
		return dst, err
	}
	dst = appendMemberName(dst, start, name)
	return append(dst, b.Bytes()...), nil
}

// appendMemberName appends `"name":`, preceded by a comma when a member
// was written since start (start 0: always).
func appendMemberName(dst []byte, start int, name string) []byte {
	if start == 0 || len(dst) > start {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, name...)
	return append(dst, `":`...)
}
