package dynafaulttest

import (
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
)

func TestAdminMovesTheClock(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := Start(t, WithEmulatorOptions(emulator.Options{Clock: clock.NewFrozen(start)}))
	state, err := srv.Admin().AdvanceClock(t.Context(), 25*time.Hour)
	if err != nil {
		t.Fatalf("AdvanceClock: %v", err)
	}
	if want := start.Add(25 * time.Hour); !state.Now.Equal(want) {
		t.Errorf("clock now = %v, want %v", state.Now, want)
	}
}
