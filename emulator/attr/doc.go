// Package attr is the DynamoDB AttributeValue model: the ten types, canonical
// 38-digit decimal numbers, the total order used for keys, DynamoDB's item-size
// rule and the validation messages DynamoDB gives for malformed values, in
// the words of both of its validation layers (ValidationError).
//
// Files: value.go (the Value and Item types), number.go (parsing,
// canonical form, comparison and arithmetic of numbers), compare.go (Compare
// and Equal), size.go (DynamoDB's size rule), key.go (order-preserving key
// encoding and the partition hash), json*.go (DynamoDB's JSON form with its
// decoding and validation errors), pack.go and unpack.go (the compact packed
// form the store keeps items in) and pack_json.go (packed items written
// straight to DynamoDB's JSON form).
//
// attr is a leaf package: it imports nothing else from this module.
package attr
