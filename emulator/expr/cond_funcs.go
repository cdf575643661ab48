package expr

import (
	"strconv"

	"github.com/dynafault/dynafault/emulator/attr"
)

// condFunctions maps each condition function to its number of operands.
var condFunctions = map[string]int{
	"attribute_exists":     1,
	"attribute_not_exists": 1,
	"attribute_type":       2,
	"begins_with":          2,
	"contains":             2,
	"size":                 1,
}

// validTypeNames is the list DynamoDB prints for a bad attribute_type name.
const validTypeNames = "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}"

// checkFunction checks a call's name, operand count and operand types and
// sets its static result type.
func (c *condChecker) checkFunction(f *funcNode) {
	want, known := condFunctions[f.name]
	if !known {
		set(&c.unknownFn, msgBadFunction+f.name)
		return
	}
	f.attrType = "BOOL"
	if f.name == "size" {
		f.attrType = "N"
	}
	if want != len(f.args) {
		set(&c.operand, msgOperandCount+f.name+", number of operands: "+strconv.Itoa(len(f.args)))
		return
	}
	if want == 2 {
		c.checkDistinct(f.name, f.args[0], f.args[1])
	}
	if c.function != "" {
		return
	}
	c.checkFunctionTypes(f)
}

func (c *condChecker) checkFunctionTypes(f *funcNode) {
	switch f.name {
	case "attribute_exists", "attribute_not_exists":
		if _, ok := f.args[0].(*pathNode); !ok {
			c.function = msgNeedsPath + f.name
		}
	case "begins_with":
		for _, a := range f.args {
			if t := staticType(a); t != "" && t != "S" && t != "B" {
				c.function = msgOperandType + f.name + ", operand type: " + t
				return
			}
		}
	case "attribute_type":
		c.checkTypeName(f)
	case "size":
		switch t := staticType(f.args[0]); t {
		case "N", "BOOL", "NULL":
			c.function = msgOperandType + f.name + ", operand type: " + t
		}
	}
}

// checkTypeName checks attribute_type's second operand: an S value naming
// one of the ten types.
func (c *condChecker) checkTypeName(f *funcNode) {
	t := staticType(f.args[1])
	if t != "S" {
		if t == "" {
			t = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"
		}
		c.function = msgOperandType + f.name + ", operand type: " + t
		return
	}
	name := f.args[1].(*valueNode).val.S
	if _, ok := attr.ParseType(name); !ok {
		c.function = "Invalid attribute type name found; type: " + name + ", valid types: " + validTypeNames
	}
}
