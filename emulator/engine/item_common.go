package engine

import (
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/store"
)

// DynamoDB's size limits for items and key attributes.
const (
	maxItemSize     = 400 * 1024
	maxHashKeySize  = 2048
	maxRangeKeySize = 1024
)

// Messages of the key and item checks (DynamoDB's texts, typos included).
const (
	msgKeySchema       = "The provided key element does not match the schema"
	msgInvalidParams   = "One or more parameter values were invalid: "
	msgNotValidParams  = "One or more parameter values are not valid. "
	msgHashKeyTooBig   = msgInvalidParams + "Size of hashkey has exceeded the maximum size limit of2048 bytes"
	msgRangeKeyTooBig  = msgInvalidParams + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
	msgItemTooBig      = "Item size has exceeded the maximum allowed size"
	msgUpdateTooBig    = "Item size to update has exceeded the maximum allowed size"
	msgConditionFailed = "The conditional request failed"
	msgUnsupportedKey  = "A value specified for a secondary index key is not supported. "
	msgUpdateIndexKey  = "The update expression attempted to update a secondary index key to a value that is not supported. "
	msgIndexKeyType    = "The update expression attempted to update the secondary index key to unsupported type"
	msgKeyScalar       = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
)

// keyAttr is one key attribute of a table or index schema.
type keyAttr struct {
	name   string
	typ    attr.Type
	isHash bool
}

// keyAttrs lists the key attributes of a table's key schema (one
// partition-key and at most one sort-key attribute), partition key first.
// It inlines, so the slice stays on the caller's stack: the hot paths use
// it. Index key schemas go through indexKeyAttrs.
func keyAttrs(ks store.KeySchema) []keyAttr {
	out := []keyAttr{{name: ks.Hash, typ: ks.HashType, isHash: true}}
	if ks.Range != "" {
		out = append(out, keyAttr{name: ks.Range, typ: ks.RangeType})
	}
	return out
}

// indexKeyAttrs is keyAttrs for any key schema, multi-attribute GSI keys
// included: partition-key attributes first, each part in key schema order.
func indexKeyAttrs(ks store.KeySchema) []keyAttr {
	if !ks.Multi() {
		return keyAttrs(ks)
	}
	var out []keyAttr
	for _, a := range ks.HashAttrs() {
		out = append(out, keyAttr{name: a.Name, typ: a.Type, isHash: true})
	}
	for _, a := range ks.RangeAttrs() {
		out = append(out, keyAttr{name: a.Name, typ: a.Type})
	}
	return out
}

// keyOf returns the table key attributes of item.
func keyOf(def store.TableDef, item attr.Item) attr.Item {
	key := make(attr.Item, 2)
	for _, k := range keyAttrs(def.Key) {
		if v, ok := item[k.name]; ok {
			key[k.name] = v
		}
	}
	return key
}

// checkKey validates the Key parameter of GetItem, UpdateItem and DeleteItem:
// exactly the table's key attributes, of the right types and sizes.
func checkKey(def store.TableDef, key attr.Item) error {
	ks := keyAttrs(def.Key)
	if len(key) != len(ks) {
		return validationErr(msgKeySchema)
	}
	for _, k := range ks {
		v, ok := key[k.name]
		if !ok || v.Type != k.typ {
			return validationErr(msgKeySchema)
		}
		if err := checkKeyValue(k, v); err != nil {
			return err
		}
	}
	return nil
}

// checkKeyValue checks that a key value of the right type is not empty and
// within the key size limits.
func checkKeyValue(k keyAttr, v attr.Value) error {
	if v.Type == attr.N {
		return nil
	}
	if v.S == "" {
		return validationErr(msgNotValidParams + emptyKeyText(v.Type) + " Key: " + k.name)
	}
	if k.isHash && len(v.S) > maxHashKeySize {
		return validationErr(msgHashKeyTooBig)
	}
	if !k.isHash && len(v.S) > maxRangeKeySize {
		return validationErr(msgRangeKeyTooBig)
	}
	return nil
}

// emptyKeyText is the sentence DynamoDB uses for an empty S or B key value.
func emptyKeyText(t attr.Type) string {
	if t == attr.B {
		return "The AttributeValue for a key attribute cannot contain an empty binary value."
	}
	return "The AttributeValue for a key attribute cannot contain an empty string value."
}

// checkItem validates a whole item for PutItem: table key attributes present,
// of the right types and sizes, and secondary-index key attributes (which
// may be absent) of the right types and not empty.
func checkItem(def store.TableDef, item attr.Item) error {
	for _, k := range keyAttrs(def.Key) {
		v, ok := item[k.name]
		if !ok {
			return validationErr(msgInvalidParams + "Missing the key " + k.name + " in the item")
		}
		if v.Type != k.typ {
			return validationErr(msgInvalidParams + "Type mismatch for key " + k.name +
				" expected: " + k.typ.String() + " actual: " + v.Type.String())
		}
		if err := checkKeyValue(k, v); err != nil {
			return err
		}
	}
	return checkIndexKeys(def, item, nil)
}

// checkIndexKeys checks the secondary-index key attributes of item. When
// touched is nil every index key is checked (a PutItem); otherwise only the
// attributes for which touched returns true, with UpdateItem's wording for
// empty values.
func checkIndexKeys(def store.TableDef, item attr.Item, touched func(string) bool) error {
	for _, ix := range def.Indexes {
		for _, k := range indexKeyAttrs(ix.Key) {
			v, ok := item[k.name]
			if !ok || (touched != nil && !touched(k.name)) {
				continue
			}
			if err := checkIndexKeyValue(ix.Name, k, v, touched != nil); err != nil {
				return err
			}
		}
		if err := checkRangeAggregate(ix, item); err != nil {
			return err
		}
	}
	return nil
}

// checkRangeAggregate applies the 1,024-byte limit to the sum of the
// sort-key attributes of a multi-attribute index key.
func checkRangeAggregate(ix store.IndexDef, item attr.Item) error {
	rng := ix.Key.RangeAttrs()
	if len(rng) < 2 {
		return nil
	}
	var names []string
	total := 0
	for _, a := range rng {
		v, ok := item[a.Name]
		if !ok || v.Type != a.Type {
			return nil
		}
		names = append(names, a.Name)
		total += attr.Size(v)
	}
	if total <= maxRangeKeySize {
		return nil
	}
	return validationErr("Aggregate size for RANGE key attributes " + strings.Join(names, ", ") + " of index " + ix.Name +
		" has exceeded limit 1024 bytes, with actual size " + strconv.Itoa(total) + " bytes")
}

// checkIndexKeyValue checks one present index key attribute value.
func checkIndexKeyValue(index string, k keyAttr, v attr.Value, byUpdate bool) error {
	if v.Type != k.typ && byUpdate {
		return validationErr(msgIndexKeyType)
	}
	if v.Type != k.typ {
		return indexKeyTypeErr(index, k, v.Type)
	}
	if v.Type == attr.N {
		return nil
	}
	if limit := indexKeyLimit(k); len(v.S) > limit {
		return validationErr(msgInvalidParams + "Size limit exceeded for Index Key " + k.name + " Actual Size: " +
			strconv.Itoa(len(v.S)) + " bytes Max Size: " + strconv.Itoa(limit) + " bytes IndexName: " + index)
	}
	if v.S != "" {
		return nil
	}
	if byUpdate {
		return validationErr(msgNotValidParams + msgUpdateIndexKey + emptyKeyText(v.Type))
	}
	return validationErr(msgNotValidParams + msgUnsupportedKey + emptyKeyText(v.Type) +
		" IndexName: " + index + ", IndexKey: " + k.name)
}

// indexKeyLimit is the most bytes an S or B value of the index key
// attribute k may have.
func indexKeyLimit(k keyAttr) int {
	if k.isHash {
		return maxHashKeySize
	}
	return maxRangeKeySize
}

// indexKeyTypeErr is the error for an index key attribute value of type got.
func indexKeyTypeErr(index string, k keyAttr, got attr.Type) error {
	return validationErr(msgInvalidParams + "Type mismatch for Index Key " + k.name +
		" Expected: " + k.typ.String() + " Actual: " + got.String() + " IndexName: " + index)
}

// checkIndexKeyTypes rejects an update that SETs an index key attribute to
// a value whose type is known before evaluation and is the wrong one.
func checkIndexKeyTypes(def store.TableDef, setType func(string) attr.Type) error {
	for _, ix := range def.Indexes {
		for _, k := range indexKeyAttrs(ix.Key) {
			if t := setType(k.name); t != attr.Invalid && t != k.typ {
				return indexKeyTypeErr(ix.Name, k, t)
			}
		}
	}
	return nil
}

// checkKeyUpdate rejects an update that touches a table key attribute.
func checkKeyUpdate(def store.TableDef, touches func(string) bool) error {
	for _, k := range keyAttrs(def.Key) {
		if touches(k.name) {
			return validationErr(msgInvalidParams + "Cannot update attribute " + k.name +
				". This attribute is part of the key")
		}
	}
	return nil
}

// checkKeyPaths rejects document paths that reach inside a table or index
// key attribute (a.b or a[0] where a is a key).
func checkKeyPaths(def store.TableDef, paths []expr.Path) error {
	nested := map[string]bool{}
	for _, p := range paths {
		if len(p) > 1 {
			nested[p[0].Name] = true
		}
	}
	if len(nested) == 0 {
		return nil
	}
	for _, k := range keyAttrs(def.Key) {
		if nested[k.name] {
			return validationErr(msgKeyScalar + "Key: " + k.name)
		}
	}
	for _, ix := range def.Indexes {
		for _, k := range indexKeyAttrs(ix.Key) {
			if nested[k.name] {
				return validationErr(msgKeyScalar + "IndexKey: " + k.name)
			}
		}
	}
	return nil
}

// conditionFailed is the ConditionalCheckFailedException of a write whose
// condition evaluated false. With ReturnValuesOnConditionCheckFailure=ALL_OLD
// it carries the existing item, if any.
func conditionFailed(onFailure *string, old attr.Item) *Error {
	e := NewError(ConditionalCheckFailed, msgConditionFailed)
	if onFailure != nil && *onFailure == returnAllOld && old != nil {
		e.Item = old
	}
	return e
}

// isOneOf reports whether *s (when set) is one of allowed; nil counts as allowed.
func isOneOf(s *string, allowed ...string) bool {
	if s == nil {
		return true
	}
	for _, a := range allowed {
		if *s == a {
			return true
		}
	}
	return false
}

// str returns *s, or "" for nil.
func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
