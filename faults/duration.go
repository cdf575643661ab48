package faults

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration whose JSON form is a string: a Go duration
// ("10m", "1h30m", "250ms") or an ISO-8601 duration ("PT10M", "P1DT2H",
// "PT0.5S"). It marshals as a Go duration string.
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String returns the Go form of d.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON renders d as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// errDuration is the message of a malformed duration.
var errDuration = errors.New(`must be a non-negative duration such as "10m" or "PT10M"`)

// UnmarshalJSON parses a Go or ISO-8601 duration string; null leaves d
// unchanged.
func (d *Duration) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return errDuration
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDuration parses a non-negative Go duration ("10m") or ISO-8601
// duration ("PT10M"; days, hours, minutes and seconds, with a fraction on
// the seconds only).
func ParseDuration(s string) (Duration, error) {
	if strings.HasPrefix(s, "P") || strings.HasPrefix(s, "p") {
		return parseISO(strings.ToUpper(s))
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return 0, errDuration
	}
	return Duration(v), nil
}

// maxDuration bounds an ISO-8601 duration well inside time.Duration.
const maxDuration = float64(1 << 62) //nolint:mnd // about 146 years

// isoUnits are the designators of an ISO-8601 duration, in order, with
// whether they belong after the "T".
var isoUnits = [...]struct { //nolint:gochecknoglobals // constant table
	unit  byte
	inT   bool
	value time.Duration
}{
	{'D', false, 24 * time.Hour},
	{'H', true, time.Hour},
	{'M', true, time.Minute},
	{'S', true, time.Second},
}

// parseISO parses "P[nD][T[nH][nM][n[.f]S]]".
func parseISO(s string) (Duration, error) {
	rest, inT, next := s[1:], false, 0
	var total time.Duration
	if rest == "" || rest == "T" {
		return 0, errDuration
	}
	for rest != "" {
		if rest[0] == 'T' && !inT {
			inT, rest = true, rest[1:]
			if rest == "" {
				return 0, errDuration
			}
			continue
		}
		i := strings.IndexAny(rest, "DHMS")
		if i <= 0 {
			return 0, errDuration
		}
		idx := unitIndex(rest[i], inT, next)
		if idx < 0 {
			return 0, errDuration
		}
		v, err := isoNumber(rest[:i], isoUnits[idx].unit == 'S')
		if err != nil {
			return 0, err
		}
		f := v*float64(isoUnits[idx].value) + float64(total)
		if f >= maxDuration {
			return 0, errDuration
		}
		total = time.Duration(f)
		rest, next = rest[i+1:], idx+1
	}
	return Duration(total), nil
}

// unitIndex finds unit in isoUnits at or after next, on the right side of
// the "T"; -1 when it is out of place.
func unitIndex(unit byte, inT bool, next int) int {
	for j := next; j < len(isoUnits); j++ {
		if isoUnits[j].unit == unit && isoUnits[j].inT == inT {
			return j
		}
	}
	return -1
}

// isoNumber parses one component: digits, with a fraction if allowed.
func isoNumber(s string, fraction bool) (float64, error) {
	if strings.ContainsAny(s, "+-eE") || (!fraction && strings.Contains(s, ".")) {
		return 0, errDuration
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, errDuration
	}
	return v, nil
}
