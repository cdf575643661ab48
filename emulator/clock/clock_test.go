package clock

import (
	"context"
	"testing"
	"time"
)

func TestAdvanceAndModes(t *testing.T) {
	wall := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewWithWall(func() time.Time { return wall })
	if got := c.Now(); !got.Equal(wall) {
		t.Fatalf("Now = %v, want %v", got, wall)
	}
	if _, err := c.Advance(25 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, want := c.Now(), wall.Add(25*time.Hour); !got.Equal(want) {
		t.Fatalf("after Advance Now = %v, want %v", got, want)
	}
	if _, err := c.Advance(-time.Second); err == nil {
		t.Fatal("negative Advance accepted")
	}
	if err := c.SetMode(Frozen); err != nil {
		t.Fatal(err)
	}
	wall = wall.Add(time.Hour) // wall time passes; frozen clock must not move
	if got, want := c.Now(), wall.Add(24*time.Hour); !got.Equal(want) {
		t.Fatalf("frozen Now = %v, want %v", got, want)
	}
	if err := c.SetMode(Real); err != nil {
		t.Fatal(err)
	}
	wall = wall.Add(time.Minute)
	if got, want := c.Now(), wall.Add(24*time.Hour); !got.Equal(want) {
		t.Fatalf("resumed Now = %v, want %v", got, want)
	}
	target := time.Date(2030, 5, 5, 5, 5, 5, 0, time.UTC)
	c.Set(target)
	if got := c.Now(); !got.Equal(target) {
		t.Fatalf("after Set Now = %v, want %v", got, target)
	}
	if err := c.SetMode("sideways"); err == nil {
		t.Fatal("bad mode accepted")
	}
}

func TestSleepWakesOnAdvance(t *testing.T) {
	c := NewFrozen(time.Unix(1000, 0))
	done := make(chan bool)
	go func() { done <- c.Sleep(context.Background(), time.Unix(1000, 0).Add(time.Hour), nil) }()
	select {
	case <-done:
		t.Fatal("Sleep returned before the frozen clock moved")
	case <-time.After(20 * time.Millisecond):
	}
	if _, err := c.Advance(30 * time.Minute); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		t.Fatal("Sleep returned half way")
	case <-time.After(20 * time.Millisecond):
	}
	_, _ = c.Advance(30 * time.Minute)
	if !<-done {
		t.Fatal("Sleep did not report reaching its time")
	}
}

func TestSleepRealModeAndCancel(t *testing.T) {
	c := New()
	if !c.Sleep(context.Background(), c.Now().Add(5*time.Millisecond), nil) {
		t.Fatal("real-mode Sleep did not reach its time")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if c.Sleep(ctx, c.Now().Add(time.Hour), nil) {
		t.Fatal("cancelled Sleep reported reaching its time")
	}
	wake := make(chan struct{})
	close(wake)
	if c.Sleep(context.Background(), c.Now().Add(time.Hour), wake) {
		t.Fatal("woken Sleep reported reaching its time")
	}
}

func TestSetOffsetReturnsToWallTime(t *testing.T) {
	wall := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewWithWall(func() time.Time { return wall })
	if _, err := c.Advance(25 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := c.SetMode(Frozen); err != nil {
		t.Fatal(err)
	}
	wall = wall.Add(time.Hour)
	c.SetOffset(0)
	if c.Mode() != Real || !c.Now().Equal(wall) || c.Offset() != 0 {
		t.Fatalf("after SetOffset(0): mode %s, now %v (wall %v), offset %v", c.Mode(), c.Now(), wall, c.Offset())
	}
	wall = wall.Add(time.Minute) // runs with the wall clock again
	if !c.Now().Equal(wall) {
		t.Fatalf("Now = %v, want the wall time %v", c.Now(), wall)
	}
	c.SetOffset(-time.Hour)
	if got, want := c.Now(), wall.Add(-time.Hour); !got.Equal(want) || c.Offset() != -time.Hour {
		t.Fatalf("SetOffset(-1h): now %v, want %v (offset %v)", got, want, c.Offset())
	}
}
