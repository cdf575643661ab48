package main

import (
	"context"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/dynafault/dynafault/emulator"
)

// profileInProcess loads the items into an in-process emulator and writes
// a heap profile of what stays in use.
func profileInProcess(ctx context.Context, c config, r *report) error {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		return err
	}
	defer emu.Close()
	srv := httptest.NewServer(emu.Handler())
	defer srv.Close()
	before := heapInUse()
	res, err := loadItems(ctx, srv.URL, c)
	if err != nil {
		return err
	}
	inuse := heapInUse() - before
	f, err := os.Create(c.heapProfile)
	if err != nil {
		return err
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	r.heap(c.heapProfile, res, inuse)
	runtime.KeepAlive(emu)
	return nil
}

// heapInUse is the live heap after a collection.
func heapInUse() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapInuse)
}
