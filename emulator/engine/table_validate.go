package engine

import (
	"hash/fnv"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parameter-constraint checks shared by the control-plane operations. They
// add to a violations collector, producing DynamoDB's composite message.

// invalidParam is the "One or more parameter values were invalid: " family.
func invalidParam(msg string) *Error {
	return validationErr("One or more parameter values were invalid: " + msg)
}

// Texts of the table-level operations' own TableName checks.
const (
	msgTableNameRequired = "The parameter 'TableName' is required but was not present in the request"
	msgTableNameLength   = "TableName must be at least 3 characters long and at most 255 characters long"
)

// checkTableNameFirst applies the TableName checks that CreateTable,
// DescribeTable, UpdateTable, DeleteTable and the TTL operations make before
// any other constraint: a missing name and a name of the wrong length each
// get their own message, which wins over every other violation (dynalite
// test/createTable.js, describeTable.js, deleteTable.js, updateTable.js,
// updateTimeToLive.js, describeTimeToLive.js, as recaptured with the
// service's current "parameter" wording). A bad character set is left to
// the composite message. With allowARN, a table ARN skips the length rule.
func checkTableNameFirst(name *string, allowARN bool) error {
	if name == nil {
		return validationErr(msgTableNameRequired)
	}
	if allowARN && strings.HasPrefix(*name, "arn:") {
		return nil
	}
	if n := utf8.RuneCountInString(*name); n < 3 || n > 255 {
		return validationErr(msgTableNameLength)
	}
	return nil
}

// checkTableName validates a TableName that may also be a table ARN.
func (v *violations) checkTableName(name *string, path string) {
	if name != nil && *name == "" {
		// The member accepts a table ARN: its own constraint is a length of
		// at least 1, and an empty name breaks only that one (paritysuite
		// tier3, PutItem and UpdateItem, AWS October 2026; dynalite's older
		// captures listed the name pattern and length 3).
		v.add(quote(""), path, minLengthFmt+"1")
		return
	}
	if name != nil && strings.HasPrefix(*name, "arn:") {
		if len(*name) > 1024 {
			v.add(quote(*name), path, maxLengthFmt+"1024")
		}
		return
	}
	v.checkName(name, path)
}

// checkNotNull records "must not be null" when present is false.
func (v *violations) checkNotNull(present bool, path string) {
	if !present {
		v.add(null, path, mustNotBeNull)
	}
}

// checkLen checks that s, when present, has a length in [lo, hi] (hi < 0: no upper bound).
func (v *violations) checkLen(s *string, path string, lo, hi int) {
	if s == nil {
		return
	}
	if len(*s) < lo {
		v.add(quote(*s), path, minLengthFmt+strconv.Itoa(lo))
	}
	if hi >= 0 && len(*s) > hi {
		v.add(quote(*s), path, maxLengthFmt+strconv.Itoa(hi))
	}
}

// checkMin checks that n, when present, is at least lo.
func (v *violations) checkMin(n *int64, path string, lo int64) {
	if n != nil && *n < lo {
		v.add(quote(strconv.FormatInt(*n, 10)), path, minValueFmt+strconv.FormatInt(lo, 10))
	}
}

// checkMax checks that n, when present, is at most hi.
func (v *violations) checkMax(n *int64, path string, hi int64) {
	if n != nil && *n > hi {
		v.add(quote(strconv.FormatInt(*n, 10)), path, maxValueFmt+strconv.FormatInt(hi, 10))
	}
}

// checkThroughput checks a ProvisionedThroughput member at path.
func (v *violations) checkThroughput(pt *ProvisionedThroughput, path string) {
	if pt == nil {
		return
	}
	v.checkNotNull(pt.WriteCapacityUnits != nil, path+".writeCapacityUnits")
	v.checkMin(pt.WriteCapacityUnits, path+".writeCapacityUnits", 1)
	v.checkNotNull(pt.ReadCapacityUnits != nil, path+".readCapacityUnits")
	v.checkMin(pt.ReadCapacityUnits, path+".readCapacityUnits", 1)
}

// checkKeySchema checks a KeySchema list at path: of a table or LSI, at
// most two elements.
func (v *violations) checkKeySchema(ks []KeySchemaElement, present bool, path string, keyTypeEnum bool) {
	v.checkKeySchemaMax(ks, present, path, keyTypeEnum, 2)
}

// checkGSIKeySchema checks the KeySchema of a GSI at path, which has no
// length limit of its own (multi-attribute keys: see checkGSIKeyElements).
func (v *violations) checkGSIKeySchema(ks []KeySchemaElement, present bool, path string) {
	// A key type other than HASH or RANGE is reported by the semantic
	// checks of a one- or two-element schema (AWS's texts); a longer one,
	// only valid as a multi-attribute key, gets the enum constraint.
	v.checkKeySchemaMax(ks, present, path, len(ks) > 2, -1)
}

// checkKeySchemaMax checks a KeySchema list of at most maxLen elements
// (-1: no limit) at path.
func (v *violations) checkKeySchemaMax(ks []KeySchemaElement, present bool, path string, keyTypeEnum bool, maxLen int) {
	if !present {
		v.add(null, path, mustNotBeNull)
		return
	}
	switch {
	case len(ks) == 0:
		v.add("'[]'", path, minLengthFmt+"1")
	case maxLen >= 0 && len(ks) > maxLen:
		v.add(quote(javaList("KeySchemaElement", ks)), path, maxLengthFmt+"2")
	}
	for i, k := range ks {
		p := path + "." + strconv.Itoa(i+1) + ".member"
		v.checkNotNull(k.AttributeName != nil, p+".attributeName")
		v.checkLen(k.AttributeName, p+".attributeName", 1, 255)
		v.checkNotNull(k.KeyType != nil, p+".keyType")
		if keyTypeEnum {
			v.checkEnum(k.KeyType, p+".keyType", "HASH", "RANGE")
		}
	}
}

// checkProjection checks an index Projection at path.
func (v *violations) checkProjection(p *Projection, path string) {
	if p == nil {
		v.add(null, path, mustNotBeNull)
		return
	}
	v.checkEnum(p.ProjectionType, path+".projectionType", "ALL", "KEYS_ONLY", "INCLUDE")
	if p.NonKeyAttributes != nil {
		n := len(p.NonKeyAttributes)
		val := quote("[" + strings.Join(p.NonKeyAttributes, ", ") + "]")
		if n < 1 {
			v.add(val, path+".nonKeyAttributes", minLengthFmt+"1")
		}
		if n > 20 {
			v.add(val, path+".nonKeyAttributes", maxLengthFmt+"20")
		}
	}
}

// checkIndexName checks an IndexName member at path.
func (v *violations) checkIndexName(name *string, path string) { v.checkName(name, path) }

// checkStreamSpec checks a StreamSpecification at path.
func (v *violations) checkStreamSpec(s *StreamSpecification, path string) {
	if s == nil {
		return
	}
	v.checkNotNull(s.StreamEnabled != nil, path+".streamEnabled")
	v.checkEnum(s.StreamViewType, path+".streamViewType", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")
}

// checkSSE checks an SSESpecification at path.
func (v *violations) checkSSE(s *SSESpecification, path string) {
	if s != nil {
		v.checkEnum(s.SSEType, path+".sSEType", "AES256", "KMS")
	}
}

// javaList renders a list the way DynamoDB's Java front end prints it in a
// constraint message: [com.amazonaws.dynamodb.v20120810.T@hash, ...].
func javaList(typ string, ks []KeySchemaElement) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		h := fnv.New32a()
		h.Write([]byte(deref(k.AttributeName) + "\x00" + deref(k.KeyType)))
		parts[i] = "com.amazonaws.dynamodb.v20120810." + typ + "@" + strconv.FormatUint(uint64(h.Sum32()), 16)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// deref returns *s or "".
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// checkTableClass validates a TableClass value.
func checkTableClass(tc *string) error {
	if tc == nil || *tc == "STANDARD" || *tc == "STANDARD_INFREQUENT_ACCESS" {
		return nil
	}
	return validationErr("Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].")
}
