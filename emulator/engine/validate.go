package engine

import (
	"regexp"
	"strconv"
	"strings"
)

// violations collects parameter-constraint failures into DynamoDB's one
// composite message:
//
//	2 validation errors detected: Value null at 'tableName' failed to satisfy
//	constraint: Member must not be null; Value 'x' at 'limit' ...
type violations struct{ list []string }

// maxViolations is how many violations DynamoDB lists at most; it stops
// checking at the tenth (dynalite validations/index.js, test/createTable.js
// "10 validation errors detected" for 27 violations).
const maxViolations = 10

// add records that value (already rendered, see quote/null) at path broke constraint.
func (v *violations) add(value, path, constraint string) {
	if len(v.list) >= maxViolations {
		return
	}
	v.list = append(v.list, "Value "+value+" at '"+path+"' failed to satisfy constraint: "+constraint)
}

// err returns the composite ValidationException, or nil when nothing was added.
func (v *violations) err() error {
	switch len(v.list) {
	case 0:
		return nil
	case 1:
		return validationErr("1 validation error detected: " + v.list[0])
	}
	return validationErr(strconv.Itoa(len(v.list)) + " validation errors detected: " + strings.Join(v.list, "; "))
}

// quote renders a string value as DynamoDB does in violation messages.
func quote(s string) string { return "'" + s + "'" }

// null is how an absent value is rendered.
const null = "null"

// Phrases of DynamoDB's constraint messages.
const (
	mustNotBeNull   = "Member must not be null"
	namePattern     = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
	minLengthFmt    = "Member must have length greater than or equal to "
	maxLengthFmt    = "Member must have length less than or equal to "
	minValueFmt     = "Member must have value greater than or equal to "
	maxValueFmt     = "Member must have value less than or equal to "
	enumValueSetFmt = "Member must satisfy enum value set: "
)

var tableNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

// checkName applies the table/index name constraints (3-255 chars,
// [a-zA-Z0-9_.-]+) to name at path. A nil name is "must not be null".
func (v *violations) checkName(name *string, path string) {
	if name == nil {
		v.add(null, path, mustNotBeNull)
		return
	}
	n := *name
	if !tableNameRE.MatchString(n) {
		v.add(quote(n), path, namePattern)
	}
	if len(n) < 3 {
		v.add(quote(n), path, minLengthFmt+"3")
	}
	if len(n) > 255 {
		v.add(quote(n), path, maxLengthFmt+"255")
	}
}

// checkEnum checks that *s, when present, is one of allowed.
func (v *violations) checkEnum(s *string, path string, allowed ...string) {
	if s == nil {
		return
	}
	for _, a := range allowed {
		if *s == a {
			return
		}
	}
	v.add(quote(*s), path, enumValueSetFmt+"["+strings.Join(allowed, ", ")+"]")
}
