package emulator

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/dynafault/dynafault"

// pkgInfo is what go list reports about one package of the module.
type pkgInfo struct {
	imports []string // direct imports (non-test)
	deps    []string // transitive imports (non-test)
}

// listModule runs go list over the whole module.
func listModule(t *testing.T) map[string]pkgInfo {
	t.Helper()
	out, err := exec.Command("go", "list", "-e", "-f",
		`{{.ImportPath}}{{"\t"}}{{join .Imports " "}}{{"\t"}}{{join .Deps " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkgInfo{}
	for line := range strings.Lines(strings.TrimSpace(string(out))) {
		f := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if len(f) != 3 {
			t.Fatalf("go list line %q", line)
		}
		pkgs[strings.TrimPrefix(f[0], module+"/")] = pkgInfo{imports: strings.Fields(f[1]), deps: strings.Fields(f[2])}
	}
	return pkgs
}

// internal returns the module packages among imports, relative to the module.
func internal(imports []string) []string {
	var in []string
	for _, p := range imports {
		if strings.HasPrefix(p, module+"/") {
			in = append(in, strings.TrimPrefix(p, module+"/"))
		}
	}
	return in
}

// TestDependencyDirection keeps the import graph one-way:
// attr <- expr, store, stream <- engine <- wire, admin <- emulator <- cmd.
func TestDependencyDirection(t *testing.T) {
	pkgs := listModule(t)
	// allowed lists, for leaf-ish packages, every module package they may import.
	allowed := map[string][]string{
		"emulator/attr":     {},
		"emulator/capacity": {"emulator/attr", "emulator/clock"},
		"emulator/clock":    {},
		"emulator/expr":     {"emulator/attr"},
		"emulator/partiql":  {"emulator/attr"},
		"emulator/sdkhttp":  {},
		"emulator/store":    {"emulator/attr"},
		"emulator/stream":   {"emulator/attr", "emulator/clock"},
		// Event source mappings: stream, clock, faults <- mapping <- lambda, admin <- emulator.
		"emulator/mapping/filter":     {},
		"emulator/mapping/handlerrun": {},
		"emulator/mapping":            {"emulator/attr", "emulator/clock", "emulator/stream", "emulator/mapping/filter", "emulator/mapping/handlerrun", "faults"},
		"emulator/lambda":             {"emulator/mapping"},
	}
	// forbidden lists packages (prefix match) each package must not reach.
	forbidden := map[string][]string{
		// The battery is a client: it reaches the server over HTTP only.
		"faults/certify": {module + "/emulator$", module + "/emulator/engine", module + "/emulator/stream",
			module + "/emulator/wire", module + "/emulator/admin", module + "/cmd"},
		"emulator/engine": {"net/http", module + "/emulator/wire", module + "/emulator/admin", module + "/emulator$"},
		"emulator/wire":   {module + "/emulator$", module + "/cmd"},
		"emulator/admin":  {module + "/emulator$", module + "/cmd"},
		// mapping and lambda never learn about the engine or DynamoDB's wire protocol.
		"emulator/mapping": {module + "/emulator/engine", module + "/emulator/store", module + "/emulator/wire", module + "/emulator/admin", module + "/emulator$"},
		"emulator/lambda":  {module + "/emulator/engine", module + "/emulator/store", module + "/emulator/wire", module + "/emulator/admin", module + "/emulator$"},
	}
	for pkg, info := range pkgs {
		if ok, exists := allowed[pkg]; exists {
			checkAllowed(t, pkg, internal(info.imports), ok)
		}
		for _, bad := range forbidden[pkg] {
			checkForbidden(t, pkg, info.deps, bad)
		}
		// emulator/dynafaulttest and faults/client are test support for SDK
		// users; faults/certify drives any endpoint through the SDK.
		if (strings.HasPrefix(pkg, "emulator") && pkg != "emulator/dynafaulttest") ||
			(strings.HasPrefix(pkg, "faults") && pkg != "faults/client" && pkg != "faults/certify") {
			checkForbidden(t, pkg, info.deps, "github.com/aws/aws-sdk-go-v2")
		}
	}
	for _, must := range []string{"emulator/attr", "emulator/engine", "emulator/wire"} {
		if _, ok := pkgs[must]; !ok {
			t.Errorf("go list did not report %s", must)
		}
	}
}

func checkAllowed(t *testing.T, pkg string, imports, ok []string) {
	t.Helper()
	for _, imp := range imports {
		if !slices.Contains(ok, imp) {
			t.Errorf("%s imports %s; it may import only %v of this module", pkg, imp, ok)
		}
	}
}

// checkForbidden fails when any of deps starts with bad; a trailing "$"
// asks for an exact match.
func checkForbidden(t *testing.T, pkg string, deps []string, bad string) {
	t.Helper()
	exact := strings.HasSuffix(bad, "$")
	bad = strings.TrimSuffix(bad, "$")
	for _, d := range deps {
		if d == bad || (!exact && strings.HasPrefix(d, bad+"/")) {
			t.Errorf("%s depends on %s", pkg, d)
		}
	}
}
