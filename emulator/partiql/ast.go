package partiql

import "github.com/dynafault/dynafault/emulator/attr"

// Statement is a parsed statement: *Select, *Insert, *Update, *Delete or
// *Exists.
type Statement interface {
	// Params is the number of ? parameters the statement holds.
	Params() int
	statement()
}

// Select is SELECT <Projection> FROM "Table"."Index" WHERE <Where>.
type Select struct {
	Projection []Path // nil for *
	Table      string
	Index      string // "" when reading the table
	Where      Expr   // nil when there is no WHERE clause
	OrderBy    []OrderKey
	params     int
}

// OrderKey is one key of an ORDER BY clause.
type OrderKey struct {
	Name string
	Desc bool
}

// Insert is INSERT INTO "Table" VALUE <Item>.
type Insert struct {
	Table  string
	Item   *Tuple
	params int
}

// Update is UPDATE "Table" SET ... REMOVE ... WHERE <Where> RETURNING ...
type Update struct {
	Table     string
	Actions   []Action // in statement order
	Where     Expr
	Returning Returning
	params    int
}

// Action is one SET path = Value or REMOVE path of an UPDATE.
type Action struct {
	Remove bool
	Path   Path
	Value  Expr // nil for REMOVE
}

// Delete is DELETE FROM "Table" WHERE <Where> RETURNING ALL OLD *.
type Delete struct {
	Table     string
	Where     Expr
	Returning Returning
	params    int
}

// Exists is EXISTS(SELECT ...), a condition check inside a transaction.
type Exists struct {
	Select *Select
}

// Returning is the RETURNING clause of an UPDATE or DELETE.
type Returning uint8

// RETURNING values.
const (
	ReturnNone        Returning = iota
	ReturnAllOld                // ALL OLD *
	ReturnModifiedOld           // MODIFIED OLD *
	ReturnAllNew                // ALL NEW *
	ReturnModifiedNew           // MODIFIED NEW *
)

func (s *Select) Params() int { return s.params }
func (s *Insert) Params() int { return s.params }
func (s *Update) Params() int { return s.params }
func (s *Delete) Params() int { return s.params }
func (s *Exists) Params() int { return s.Select.params }

func (*Select) statement() {}
func (*Insert) statement() {}
func (*Update) statement() {}
func (*Delete) statement() {}
func (*Exists) statement() {}

// Expr is an expression node.
type Expr interface{ expr() }

// PathElem is one step of a document path: a name or a list index.
type PathElem struct {
	Name    string
	Index   int
	IsIndex bool
}

// Path is a document path: a, a.b, a[0], "a"."b".
type Path []PathElem

// Lit is a literal: a string, a number, true, false or null.
type Lit struct {
	Value attr.Value
	Pos   int
}

// Missing is the literal MISSING.
type Missing struct{ Pos int }

// Param is the N-th (from 0) ? parameter.
type Param struct{ N int }

// Binary is a binary operation: = <> < <= > >= AND OR + -.
type Binary struct {
	Op   string
	L, R Expr
}

// Not is NOT X.
type Not struct{ X Expr }

// Neg is -X (a negated number).
type Neg struct{ X Expr }

// Between is X BETWEEN Lo AND Hi (Not: NOT BETWEEN).
type Between struct {
	X, Lo, Hi Expr
	Not       bool
}

// In is X IN [List] or X IN (List) (Not: NOT IN).
type In struct {
	X    Expr
	List []Expr
	Not  bool
}

// Is is X IS [NOT] Type, Type one of MISSING NULL BOOLEAN BLOB STRING
// NUMERIC STRUCT TUPLE LIST (upper case).
type Is struct {
	X    Expr
	Type string
	Not  bool
}

// Call is a function call; Name is lower case.
type Call struct {
	Name string
	Args []Expr
	Pos  int
}

// Tuple is a {'key': value, ...} literal.
type Tuple struct{ Fields []Field }

// Field is one key: value pair of a Tuple.
type Field struct{ Key, Value Expr }

// List is a [a, b, ...] literal.
type List struct{ Elems []Expr }

// Bag is a <<a, b, ...>> literal: a set.
type Bag struct{ Elems []Expr }

func (Path) expr()     {}
func (*Lit) expr()     {}
func (*Missing) expr() {}
func (*Param) expr()   {}
func (*Binary) expr()  {}
func (*Not) expr()     {}
func (*Neg) expr()     {}
func (*Between) expr() {}
func (*In) expr()      {}
func (*Is) expr()      {}
func (*Call) expr()    {}
func (*Tuple) expr()   {}
func (*List) expr()    {}
func (*Bag) expr()     {}

// TableOf is the table a statement addresses ("" for a nil statement).
func TableOf(st Statement) string {
	switch s := st.(type) {
	case *Select:
		return s.Table
	case *Insert:
		return s.Table
	case *Update:
		return s.Table
	case *Delete:
		return s.Table
	case *Exists:
		return s.Select.Table
	}
	return ""
}
