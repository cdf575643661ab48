package engine

import (
	"encoding/base64"
	"sort"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// StreamShardForKey returns the ARN of the table's enabled stream and the
// ID of its open shard that receives the records of the item with the
// given key, for the admin API's shard actions by key. key maps key
// attribute names to their values as text: strings as they are, numbers
// in decimal, binaries in base64. The partition key is required and
// decides the shard; the sort key may be given and is checked, but does
// not change the answer.
func (e *Engine) StreamShardForKey(table string, key map[string]string) (string, string, error) {
	t, err := e.lookupNamed(table)
	if err != nil {
		return "", "", err
	}
	var def store.TableDef
	if err := t.View(func(tx *store.Tx) error { def = tx.Def(); return nil }); err != nil {
		return "", "", droppedAs(err, errTableNotFoundNamed(table))
	}
	pk, err := partitionKeyOf(def, key)
	if err != nil {
		return "", "", err
	}
	s, err := e.enabledStream(table)
	if err != nil {
		return "", "", err
	}
	return s.ARN(), s.OpenShardFor(attr.PartitionHash(pk), e.clock.Now()), nil
}

// partitionKeyOf checks key against the table's key schema and returns the
// partition key's value.
func partitionKeyOf(def store.TableDef, key map[string]string) (attr.Value, error) {
	names := make([]string, 0, len(key))
	for n := range key {
		names = append(names, n)
	}
	sort.Strings(names)
	keyNames := def.Key.Hash
	if def.Key.Range != "" {
		keyNames += ", " + def.Key.Range
	}
	var pk attr.Value
	for _, n := range names {
		var typ attr.Type
		switch n {
		case def.Key.Hash:
			typ = def.Key.HashType
		case def.Key.Range:
			typ = def.Key.RangeType
		default:
			return pk, validationErr("Attribute " + n + " is not a key attribute of table " + def.Name + " (key: " + keyNames + ")")
		}
		v, err := keyValueOf(typ, key[n])
		if err != nil {
			return pk, validationErr("Invalid value of key attribute " + n + " (" + typ.String() + "): " + err.Error())
		}
		if n == def.Key.Hash {
			pk = v
		}
	}
	if pk.Type == attr.Invalid {
		return pk, validationErr("The partition key " + def.Key.Hash + " of table " + def.Name + " is required")
	}
	return pk, nil
}

// keyValueOf parses the text of a key value of type typ.
func keyValueOf(typ attr.Type, s string) (attr.Value, error) {
	switch typ {
	case attr.N:
		n, err := attr.ParseNumber(strings.TrimSpace(s))
		return attr.Value{Type: attr.N, S: n}, err
	case attr.B:
		b, err := base64.StdEncoding.DecodeString(s)
		return attr.Value{Type: attr.B, S: string(b)}, err
	}
	return attr.Value{Type: attr.S, S: s}, nil
}
