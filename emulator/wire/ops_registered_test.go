package wire

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/engine"
)

// engineOperations returns the exported *Engine methods shaped like an
// operation: func (e *Engine) Op(ctx context.Context, *In) (*Out, error).
func engineOperations(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../engine/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && isOperation(fn) {
				ops = append(ops, fn.Name.Name)
			}
		}
	}
	return ops
}

func isOperation(fn *ast.FuncDecl) bool {
	if fn.Recv == nil || !fn.Name.IsExported() || fieldCount(fn.Type.Params) != 2 || fieldCount(fn.Type.Results) != 2 {
		return false
	}
	if sel, ok := fn.Type.Params.List[0].Type.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Context" {
		return false // operations take a context.Context first
	}
	star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	recv, ok := star.X.(*ast.Ident)
	return ok && recv.Name == "Engine"
}

// fieldCount counts the parameters or results of a list, "a, b string"
// as two.
func fieldCount(l *ast.FieldList) int {
	if l == nil {
		return 0
	}
	n := 0
	for _, f := range l.List {
		n += max(1, len(f.Names))
	}
	return n
}

// TestEveryEngineOperationIsRegistered fails when an operation exists in
// the engine but has no line in ops.go.
func TestEveryEngineOperationIsRegistered(t *testing.T) {
	e := engine.New(engine.Options{})
	dynamo, streams := dynamoOps(e), streamsOps(e)
	for _, name := range engineOperations(t) {
		if _, ok := dynamo[name]; ok {
			continue
		}
		if _, ok := streams[name]; ok {
			continue
		}
		t.Errorf("engine operation %s is not registered in wire/ops.go", name)
	}
}
