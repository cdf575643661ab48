package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestBatchBodyItemSize(t *testing.T) {
	for _, size := range []int{minItemSize, 100, 400} {
		var req struct {
			RequestItems map[string][]struct {
				PutRequest struct{ Item attr.Item }
			}
		}
		if err := json.Unmarshal(batchBody(7, 3, size, 1), &req); err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		puts := req.RequestItems[loadTable]
		if len(puts) != 3 {
			t.Fatalf("size %d: %d puts", size, len(puts))
		}
		for i, p := range puts {
			if got := attr.ItemSize(p.PutRequest.Item); got != size {
				t.Errorf("item size = %d, want %d", got, size)
			}
			if got, want := p.PutRequest.Item[keyName].S, itemKey(7+i); got != want {
				t.Errorf("key = %q, want %q", got, want)
			}
		}
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{{"-item-size", "5"}, {"-workers", "0"}, {"-items", "-1"}, {"extra"},
		{"-writes", "0"}, {"-stream", "NEW"}} {
		if _, err := parseFlags(args, &bytes.Buffer{}); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// TestRunStream loads a stream with two writes per item and checks that
// the trim figures are printed.
func TestRunStream(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	var out bytes.Buffer
	args := []string{"-items", "300", "-writes", "2", "-stream", "NEW_AND_OLD_IMAGES", "-starts", "1", "-workers", "2"}
	if err := run(t.Context(), args, &out, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"writes: each item written 2 times, 600 writes in all; stream: NEW_AND_OLD_IMAGES",
		"stream trim: 600 records removed in ", "RSS after it: 1s "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRun builds the server, measures a small load and checks that every
// figure is printed; the figures themselves are not asserted.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	var out bytes.Buffer
	args := []string{"-items", "600", "-starts", "2", "-workers", "3", "-heapprofile", t.TempDir() + "/heap.pprof",
		"-image", "localhost/dynafault:no-such-image"}
	if err := run(t.Context(), args, &out, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"start to first answered request: ", "idle RSS: ", "load: 600 items of 100 bytes",
		"loaded RSS: ", "image size: n/a", "in-process heap after loading 600 items"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
