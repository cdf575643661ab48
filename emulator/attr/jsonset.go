package attr

import (
	"encoding/base64"
	"slices"
	"strings"
)

// set reads the members of an SS, NS or BS, canonicalising numbers and
// validating like DynamoDB (dynalite validateAttributeValue): a set must
// not be empty and must not hold duplicates (numbers compared after
// normalisation). Empty strings and binaries are valid members.
func (d *decoder) set(t Type) ([]string, error) {
	if err := d.listStart(); err != nil {
		return nil, err
	}
	var out []string
	nulls := 0
	for i := 0; ; i++ {
		more, err := d.more(']', i)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		if d.peek() == 'n' {
			if err := d.readLiteral("null"); err != nil {
				return nil, err
			}
			nulls++
			d.nullMember(t)
			continue
		}
		s, err := d.setMember(t)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) == 0 && nulls == 0 {
		d.invalid(emptySetMessage(t))
		return []string{}, nil
	}
	if dup := hasDuplicate(out); dup {
		d.invalidErr(classValue, &ValidationError{Msg: duplicateMessage(t, out), Now: currentDuplicateMessage(t, out)})
	}
	return out, nil
}

// setMember reads one member: a String (SS, NS) or a Blob (BS). Numbers
// are canonicalised; an invalid one is remembered and kept as "".
func (d *decoder) setMember(t Type) (string, error) {
	if t == BS {
		return d.blobField()
	}
	s, err := d.stringField()
	if err != nil || t == SS {
		return s, err
	}
	return d.number(s), nil
}

// nullMember remembers the message for a null set member.
func (d *decoder) nullMember(t Type) {
	switch t {
	case SS:
		d.invalid(msgNullInSS)
	case NS:
		d.invalidErr(classValue, &ValidationError{Msg: msgNotNumeric, Now: msgNotNumeric + ": "})
	case BS:
		d.invalid(msgNullInBS)
	}
}

func emptySetMessage(t Type) string {
	switch t {
	case SS:
		return msgEmptySS
	case NS:
		return msgEmptyNS
	}
	return msgEmptyBS
}

// duplicateMessage is DynamoDB's text for a set with repeated members
// (dynalite validations/index.js; the missing space before "of type BS" is
// DynamoDB's).
func duplicateMessage(t Type, members []string) string {
	switch t {
	case NS:
		return msgDupNS
	case SS:
		return msgInvalidPre + "Input collection [" + strings.Join(members, ", ") + "] contains duplicates."
	}
	enc := make([]string, len(members))
	for i, m := range members {
		enc[i] = base64.StdEncoding.EncodeToString([]byte(m))
	}
	return msgInvalidPre + "Input collection [" + strings.Join(enc, ", ") + "]of type BS contains duplicates."
}

// currentDuplicateMessage is the current validation layer's text for a set
// with repeated members: the members up to the first repeat in byte order,
// then the repeat and the rest as sent, quoted (paritysuite valueLayers,
// AWS October 2026: SS b, a, b is ["a", "b", "b"]; BS /w==, AA==, AA== is
// ["AA==","/w==","AA=="]); a number set's names no member.
func currentDuplicateMessage(t Type, members []string) string {
	if t == NS {
		return msgInvalidPre + "Input collection contains duplicates."
	}
	k := 0
	for ; k < len(members) && !slices.Contains(members[:k], members[k]); k++ {
	}
	order := slices.Clone(members[:k])
	slices.Sort(order)
	order = append(order, members[k:]...)
	quoted := make([]string, len(order))
	for i, m := range order {
		if t == BS {
			m = base64.StdEncoding.EncodeToString([]byte(m))
		}
		quoted[i] = `"` + m + `"`
	}
	if t == BS {
		return msgInvalidPre + "Input collection [" + strings.Join(quoted, ",") + "]of type BS contains duplicates."
	}
	return msgInvalidPre + "Input collection [" + strings.Join(quoted, ", ") + "] contains duplicates."
}

// hasDuplicate reports whether members repeats a value.
func hasDuplicate(members []string) bool {
	if len(members) <= 16 {
		for i := 1; i < len(members); i++ {
			for j := 0; j < i; j++ {
				if members[i] == members[j] {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]struct{}, len(members))
	for _, m := range members {
		if _, ok := seen[m]; ok {
			return true
		}
		seen[m] = struct{}{}
	}
	return false
}
