package main

import (
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
)

func TestStreamFlags(t *testing.T) {
	env := map[string]string{"DYNAFAULT_STREAM_SHARDS": "3", "DYNAFAULT_ITERATOR_TTL": "1m"}
	c, err := parseServeFlags([]string{"--stream-rollover", "0", "--stream-retention", "2h"}, func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	var o emulator.Options
	if err := c.streams.apply(&o); err != nil {
		t.Fatal(err)
	}
	if o.StreamShards != 3 || o.IteratorTTL != time.Minute || o.StreamRetention != 2*time.Hour || o.StreamRollover != 0 ||
		o.LedgerSize != 100000 {
		t.Errorf("options %+v", o)
	}
	off := streamFlags{"1", "24h", "4h", "15m", "off"}
	if err := off.apply(&o); err != nil || o.LedgerSize >= 0 {
		t.Errorf("--ledger-size off: LedgerSize %d, %v", o.LedgerSize, err)
	}
	bad := []struct {
		f    streamFlags
		want string
	}{
		{streamFlags{"0", "24h", "4h", "15m", "100000"}, "invalid --stream-shards"},
		{streamFlags{"1", "0", "4h", "15m", "100000"}, "invalid --stream-retention"},
		{streamFlags{"1", "24h", "-1h", "15m", "100000"}, "invalid --stream-rollover"},
		{streamFlags{"1", "24h", "4h", "15m", "0"}, "invalid --ledger-size"},
		{streamFlags{"1", "24h", "4h", "15m", "lots"}, "invalid --ledger-size"},
		{streamFlags{"1", "24h", "4h", "soon", "100000"}, "invalid --iterator-ttl"},
	}
	for _, b := range bad {
		if err := b.f.apply(&o); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%+v: %v, want %q", b.f, err, b.want)
		}
	}
}

func TestLifecycleFlags(t *testing.T) {
	env := map[string]string{"DYNAFAULT_TABLE_DELETE_DURATION": "3s"}
	c, err := parseServeFlags([]string{"--table-create-duration", "2s", "--index-transition", "1m"}, func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	var o emulator.Options
	if err := c.lifecycle.apply(&o); err != nil {
		t.Fatal(err)
	}
	if o.Lifecycle.Create != 2*time.Second || o.Lifecycle.Delete != 3*time.Second || o.Lifecycle.Index != time.Minute || o.Lifecycle.Update != 0 {
		t.Fatalf("lifecycle %+v", o.Lifecycle)
	}
	c.lifecycle.update = "-1s"
	if err := c.lifecycle.apply(&o); err == nil || !strings.Contains(err.Error(), "--table-update-duration") {
		t.Fatalf("negative duration: %v", err)
	}
}
