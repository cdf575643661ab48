package faults

// KeyMatch is the key part of a Match (Match.Key): key attribute names
// mapped to predicates on their values. Build it with KeyEquals and
// KeyPrefix, and add more attributes with its Equals and Prefix methods:
//
//	Match{Table: "orders", Key: faults.KeyEquals("pk", "ORDER#7")}
//	Match{Key: faults.KeyEquals("pk", "CUSTOMER#1").Prefix("sk", "ORDER#")}
//
// Values are compared as KeyValue.Value renders them: strings as they are,
// numbers in canonical form ("1000", not "1e3"), binaries in base64.
type KeyMatch map[string]KeyPredicate

// KeyEquals matches items whose key attribute name is exactly value.
func KeyEquals(name, value string) KeyMatch { return KeyMatch{}.Equals(name, value) }

// KeyPrefix matches items whose key attribute name starts with prefix.
func KeyPrefix(name, prefix string) KeyMatch { return KeyMatch{}.Prefix(name, prefix) }

// Equals returns a copy of k that also requires the key attribute name to
// be exactly value.
func (k KeyMatch) Equals(name, value string) KeyMatch {
	c := k.clone()
	p := c[name]
	p.Equals = &value
	c[name] = p
	return c
}

// Prefix returns a copy of k that also requires the key attribute name to
// start with prefix. With Equals on the same attribute both must hold.
func (k KeyMatch) Prefix(name, prefix string) KeyMatch {
	c := k.clone()
	p := c[name]
	p.Prefix = &prefix
	c[name] = p
	return c
}

// clone returns a copy of k.
func (k KeyMatch) clone() KeyMatch {
	c := make(KeyMatch, len(k)+1)
	for n, p := range k {
		c[n] = p
	}
	return c
}
