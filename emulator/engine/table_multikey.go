package engine

import (
	"strings"

	"github.com/dynafault/dynafault/emulator/store"
)

// Multi-attribute GSI keys (DynamoDB, November 2025): a GSI's KeySchema
// may list up to four HASH elements followed by up to four RANGE elements.
// The texts of the rules that only such a key schema can break are
// DynamoDB Local's (3.3.1, which implements the feature); see
// conformance/README.md.
const (
	msgKeyOrder       = "Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second"
	msgTooManyHash    = "Too many partition keys. GSI can have at most 4 partition keys"
	msgTooManyRange   = "Too many sort keys. GSI can have at most 4 sort keys"
	msgTwoKeysOneName = "Two keys can not have the same name"
)

// checkGSIKeyElements is checkKeyElements for a GSI, whose key may have
// several partition-key and sort-key attributes.
func checkGSIKeyElements(ks []KeySchemaElement, ads []AttributeDefinition, defs map[string]string) (store.KeySchema, error) {
	if len(ks) <= 2 && (len(ks) < 2 || *ks[1].KeyType != "HASH") {
		return checkKeyElements(ks, ads, defs)
	}
	var key store.KeySchema
	names := schemaNames(ks)
	for _, n := range names {
		if _, ok := defs[n]; !ok {
			return key, invalidParam("Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
				strings.Join(names, ", ") + "], AttributeDefinitions: [" + strings.Join(defNames(ads), ", ") + "]")
		}
	}
	if *ks[0].KeyType != "HASH" {
		return key, validationErr("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return key, validationErr(msgTwoKeysOneName)
		}
		seen[n] = true
	}
	var hash, rng []store.KeyAttr
	for _, k := range ks {
		a := store.KeyAttr{Name: *k.AttributeName, Type: parseKeyType(defs[*k.AttributeName])}
		switch {
		case *k.KeyType == "HASH" && len(rng) > 0:
			return key, validationErr(msgKeyOrder)
		case *k.KeyType == "HASH":
			hash = append(hash, a)
		default:
			rng = append(rng, a)
		}
	}
	if len(hash) > store.MaxKeyAttrs {
		return key, validationErr(msgTooManyHash)
	}
	if len(rng) > store.MaxKeyAttrs {
		return key, validationErr(msgTooManyRange)
	}
	key.Hash, key.HashType, key.MoreHash = hash[0].Name, hash[0].Type, hash[1:]
	if len(rng) > 0 {
		key.Range, key.RangeType, key.MoreRange = rng[0].Name, rng[0].Type, rng[1:]
	}
	if len(key.MoreHash) == 0 {
		key.MoreHash = nil
	}
	if len(key.MoreRange) == 0 {
		key.MoreRange = nil
	}
	return key, nil
}
