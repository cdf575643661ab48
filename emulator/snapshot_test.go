package emulator

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/engine"
)

// createTable creates table name keyed on pk (S) in e.
func createTable(t testing.TB, e *Emulator, name string) {
	t.Helper()
	s := func(v string) *string { return &v }
	_, err := e.engine.CreateTable(context.Background(), &engine.CreateTableInput{
		TableName:            s(name),
		AttributeDefinitions: []engine.AttributeDefinition{{AttributeName: s("pk"), AttributeType: s("S")}},
		KeySchema:            []engine.KeySchemaElement{{AttributeName: s("pk"), KeyType: s("HASH")}},
		BillingMode:          s("PAY_PER_REQUEST"),
	})
	if err != nil {
		t.Fatal(err)
	}
}

// put writes item {pk, v} to table.
func put(t testing.TB, e *Emulator, table, pk, v string) {
	t.Helper()
	_, err := e.engine.PutItem(context.Background(), &engine.PutItemInput{TableName: &table,
		Item: attr.Item{"pk": attr.Str(pk), "v": attr.Str(v)}})
	if err != nil {
		t.Fatal(err)
	}
}

// itemCount counts the items of table.
func itemCount(t testing.TB, e *Emulator, table string) int64 {
	t.Helper()
	d, err := e.engine.DescribeTable(context.Background(), &engine.DescribeTableInput{TableName: &table})
	if err != nil {
		t.Fatal(err)
	}
	return d.Table.ItemCount
}

func TestDataDirKeepsTablesBetweenRuns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // created by New
	e, err := New(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	createTable(t, e, "orders")
	put(t, e, "orders", "ORDER#1", "one")
	put(t, e, "orders", "ORDER#2", "two")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e2, err := New(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if n := itemCount(t, e2, "orders"); n != 2 {
		t.Fatalf("%d items after a restart, want 2", n)
	}
	put(t, e2, "orders", "ORDER#3", "three")
	if err := e2.Close(); err != nil {
		t.Fatal(err)
	}
	e3, err := New(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e3.Close()
	if n := itemCount(t, e3, "orders"); n != 3 {
		t.Fatalf("%d items after a second restart, want 3", n)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestSeedData(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "seed.json")
	src, _ := New(Options{})
	createTable(t, src, "fixture")
	put(t, src, "fixture", "a", "1")
	if err := src.SaveSnapshotFile(seed); err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{SeedData: seed})
	if err != nil {
		t.Fatal(err)
	}
	if n := itemCount(t, e, "fixture"); n != 1 {
		t.Fatalf("%d items from the seed, want 1", n)
	}
	_ = e.Close()

	// With a data dir, the seed is used until the dir holds a snapshot.
	dir := t.TempDir()
	e, err = New(Options{DataDir: dir, SeedData: seed})
	if err != nil {
		t.Fatal(err)
	}
	put(t, e, "fixture", "b", "2")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e, err = New(Options{DataDir: dir, SeedData: seed})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if n := itemCount(t, e, "fixture"); n != 2 {
		t.Fatalf("%d items: the seed replaced the saved data", n)
	}
	if _, err := New(Options{SeedData: filepath.Join(t.TempDir(), "missing.json")}); err == nil || !strings.Contains(err.Error(), "seed data") {
		t.Errorf("missing seed file: %v", err)
	}
}

func TestUnreadableSnapshotIsRefusedAndKept(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SnapshotFile)
	for _, bad := range []string{`{"format":"dynafault-snapshot","version":99,"tables":[]}`, `{"format":"dynafault-snapshot","version":1,"tables":[{"na`} {
		if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := New(Options{DataDir: dir})
		if !errors.Is(err, engine.ErrSnapshot) || !strings.Contains(err.Error(), path) {
			t.Fatalf("New with %q: %v", bad, err)
		}
		if got, _ := os.ReadFile(path); string(got) != bad {
			t.Fatalf("the unreadable snapshot was changed to %q", got)
		}
	}
	// A refused load leaves a running emulator as it was.
	e, _ := New(Options{})
	defer e.Close()
	createTable(t, e, "kept")
	err := e.LoadSnapshot(strings.NewReader(`{"format":"dynafault-snapshot","version":2}`))
	if err == nil || !strings.Contains(err.Error(), "format version 2 is newer than this dynafault reads (1)") {
		t.Fatalf("newer snapshot: %v", err)
	}
	if names := e.engine.TableNames(); len(names) != 1 || names[0] != "kept" {
		t.Errorf("tables after a refused load: %v", names)
	}
}

// Environment of the saver child process of TestSaveKilledKeepsPreviousSnapshot.
const saverDirEnv = "DYNAFAULT_TEST_SAVER_DIR"

// saverItems is how many items of about 1 KB the saver writes: enough for
// a save to take a while.
const saverItems = 20000

// TestSnapshotSaverChild is the child process of
// TestSaveKilledKeepsPreviousSnapshot: it saves its tables to the data dir
// over and over, each time with one more generation, until it is killed.
func TestSnapshotSaverChild(t *testing.T) {
	dir := os.Getenv(saverDirEnv)
	if dir == "" {
		t.Skip("runs as the child process of TestSaveKilledKeepsPreviousSnapshot")
	}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	createTable(t, e, "data")
	pad := strings.Repeat("x", 1000)
	for i := range saverItems {
		put(t, e, "data", "item-"+strconv.Itoa(i), pad)
	}
	path := filepath.Join(dir, SnapshotFile)
	for gen := 1; ; gen++ {
		put(t, e, "data", "generation", strconv.Itoa(gen))
		fmt.Printf("saving %d\n", gen)
		if err := e.SaveSnapshotFile(path); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("saved %d\n", gen)
	}
}

// TestSaveKilledKeepsPreviousSnapshot kills (SIGKILL) a process while it
// saves its snapshot, at several points of the save, and checks each time
// that the data dir's snapshot loads whole: the generation saved last, or
// the one being saved if its rename was done.
func TestSaveKilledKeepsPreviousSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	midway := 0
	for _, frac := range []float64{0.05, 0.3, 0.6, 0.9, 1.2} {
		lastSaved, saving := killSaver(t, dir, frac)
		if lastSaved == 0 {
			t.Fatal("the saver was killed before its first save")
		}
		e, err := New(Options{DataDir: dir})
		if err != nil {
			t.Fatalf("after a kill at %.0f%% of a save: %v", frac*100, err)
		}
		if n := itemCount(t, e, "data"); n != saverItems+1 {
			t.Errorf("after a kill at %.0f%% of a save: %d items, want %d", frac*100, n, saverItems+1)
		}
		gen := generationOf(t, e)
		if gen != lastSaved && gen != saving {
			t.Errorf("snapshot of generation %d, want %d (saved) or %d (being saved)", gen, lastSaved, saving)
		}
		e.dataDir = "" // no save on Close: keep the file as the kill left it
		_ = e.Close()
		if left, _ := filepath.Glob(filepath.Join(dir, "."+SnapshotFile+".tmp-*")); len(left) > 0 {
			midway++
			for _, f := range left {
				_ = os.Remove(f)
			}
		}
	}
	if midway == 0 {
		t.Error("no kill hit a save midway (no temporary file was left): the test proved nothing")
	}
}

// killSaver runs the saver child with dir until it has saved once, then
// kills it with SIGKILL frac of a save's duration into its next save. It
// returns the last generation the child reported saved and the last one it
// began to save before it died.
func killSaver(t *testing.T, dir string, frac float64) (lastSaved, saving int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSnapshotSaverChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), saverDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Wait() }()
	lines := bufio.NewScanner(out)
	var began time.Time
	var took time.Duration
	killed := false
	for lines.Scan() {
		var n int
		switch {
		case sscan(lines.Text(), "saving %d", &n):
			saving, began = n, time.Now()
			if took > 0 && !killed {
				time.Sleep(time.Duration(frac * float64(took)))
				_ = cmd.Process.Signal(syscall.SIGKILL)
				killed = true // read on: the child may have gone further meanwhile
			}
		case sscan(lines.Text(), "saved %d", &n):
			lastSaved = n
			if took == 0 {
				took = time.Since(began)
			}
		}
	}
	if !killed {
		t.Fatalf("the saver stopped: %s", stderr.String())
	}
	return lastSaved, saving
}

// sscan reports whether s matches format, filling n.
func sscan(s, format string, n *int) bool {
	_, err := fmt.Sscanf(s, format, n)
	return err == nil
}

// generationOf reads the generation item of the saver's table.
func generationOf(t *testing.T, e *Emulator) int {
	t.Helper()
	table := "data"
	out, err := e.engine.GetItem(context.Background(), &engine.GetItemInput{TableName: &table,
		Key: attr.Item{"pk": attr.Str("generation")}})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(out.Item.Item()["v"].S)
	return n
}
