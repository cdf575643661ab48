package clock

import (
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
