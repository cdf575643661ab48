package faults

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	t.Parallel()
	good := map[string]time.Duration{
		"10m":        10 * time.Minute,
		"1h30m":      90 * time.Minute,
		"250ms":      250 * time.Millisecond,
		"0s":         0,
		"PT10M":      10 * time.Minute,
		"pt10m":      10 * time.Minute,
		"PT1H30M":    90 * time.Minute,
		"P1D":        24 * time.Hour,
		"P1DT2H":     26 * time.Hour,
		"PT0.5S":     500 * time.Millisecond,
		"PT24H5M":    24*time.Hour + 5*time.Minute,
		"PT1M30.25S": 90*time.Second + 250*time.Millisecond,
	}
	for s, want := range good {
		got, err := ParseDuration(s)
		if err != nil || got.Std() != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{
		"", "ten", "-1m", "P", "PT", "P1Y", "P1M", "PT1D", "P1H", "PT1M1H", "PT1.5M", "PT-1S", "PT1e3S",
		"P1DT", "PTM", "P99999999999D", "PT1H1H",
	} {
		if d, err := ParseDuration(s); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", s, d)
		}
	}
}

func TestDurationJSON(t *testing.T) {
	t.Parallel()
	var d Duration
	if err := json.Unmarshal([]byte(`"PT2M"`), &d); err != nil || d.Std() != 2*time.Minute {
		t.Fatalf("Unmarshal = %v, %v", d, err)
	}
	out, err := json.Marshal(d)
	if err != nil || string(out) != `"2m0s"` {
		t.Fatalf("Marshal = %s, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`120`), &d); err == nil {
		t.Error("a number was accepted as a duration")
	}
}

func TestKeyJSON(t *testing.T) {
	t.Parallel()
	k := Key{"pk": KeyS("ORDER#4"), "sk": KeyN("7")}
	out, err := json.Marshal(k)
	if err != nil || string(out) != `{"pk":{"S":"ORDER#4"},"sk":{"N":"7"}}` {
		t.Fatalf("Marshal = %s, %v", out, err)
	}
	var back Key
	if err := json.Unmarshal(out, &back); err != nil || back["sk"] != KeyN("7") || back["pk"] != KeyS("ORDER#4") {
		t.Fatalf("Unmarshal = %v, %v", back, err)
	}
	for _, bad := range []string{`{"pk":{"SS":"x"}}`, `{"pk":{"S":"x","N":"1"}}`, `{"pk":{"S":1}}`, `{"pk":"x"}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("Unmarshal(%s) accepted", bad)
		}
	}
	if got := (Key{"sk": KeyB("AAE="), "pk": KeyS("a")}).String(); got != "pk=S:a,sk=B:AAE=" {
		t.Errorf("String = %q", got)
	}
}
