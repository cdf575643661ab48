package attr

import (
	"errors"
	"strings"
	"testing"
)

// canonicalCases is the normalisation table of reference §2.2 (scylladb
// test_number.py, AWS-verified) plus edge cases.
var canonicalCases = []struct{ in, want string }{
	{"0", "0"},
	{"-0", "0"},
	{"0e5", "0"},
	{"0e1000", "0"},
	{"-0.000", "0"},
	{"+0", "0"},
	{"1e3", "1000"},
	{"1E3", "1000"},
	{"1e+5", "100000"},
	{"123e-2", "1.23"},
	{".5", "0.5"},
	{"-.5", "-0.5"},
	{"007", "7"},
	{"0001.23", "1.23"},
	{"+1.5", "1.5"},
	{"+3", "3"},
	{"1.10", "1.1"},
	{"100.000", "100"},
	{"1.", "1"},
	{"-7.1234", "-7.1234"},
	{"-17e5", "-1700000"},
	{".123", "0.123"},
	{"0.001", "0.001"},
	{"10", "10"},
	{"1e-1", "0.1"},
	{"12.5e1", "125"},
	{"12.5e-3", "0.0125"},
	{"-17.4E37", "-174" + strings.Repeat("0", 36)},
	{"1e125", "1" + strings.Repeat("0", 125)},
	{"9.9999999999999999999999999999999999999E+125", strings.Repeat("9", 38) + strings.Repeat("0", 88)},
	{"1e-130", "0." + strings.Repeat("0", 129) + "1"},
	{"-1e-130", "-0." + strings.Repeat("0", 129) + "1"},
	{"3.1415926535897932384626433832795028841", "3.1415926535897932384626433832795028841"},
	{"31415926535897932384626433832795028841e30", "31415926535897932384626433832795028841" + strings.Repeat("0", 30)},
	{"1" + strings.Repeat("0", 60), "1" + strings.Repeat("0", 60)},
	{"1.000000000000000000000000000000000000000000000", "1"},
}

func TestParseNumberCanonical(t *testing.T) {
	for _, c := range canonicalCases {
		got, err := ParseNumber(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseNumber(%q) = %q, %v; want %q", c.in, got, err, c.want)
			continue
		}
		again, err := ParseNumber(got)
		if err != nil || again != got {
			t.Errorf("canonical %q is not a fixed point: %q, %v", got, again, err)
		}
	}
}

var numberErrorCases = []struct{ in, want string }{
	{"", msgNotNumeric},
	{"NaN", msgNotNumeric + ": NaN"},
	{"-NaN", msgNotNumeric + ": -NaN"},
	{"Infinity", msgNotNumeric + ": Infinity"},
	{"-Infinity", msgNotNumeric + ": -Infinity"},
	{"dog", msgNotNumeric + ": dog"},
	{"-dog", msgNotNumeric + ": -dog"},
	{" 1", msgNotNumeric + ":  1"},
	{"1 ", msgNotNumeric + ": 1 "},
	{".", msgNotNumeric + ": ."},
	{"-", msgNotNumeric + ": -"},
	{"1e", msgNotNumeric + ": 1e"},
	{"1e+", msgNotNumeric + ": 1e+"},
	{"1.2.3", msgNotNumeric + ": 1.2.3"},
	{"0x10", msgNotNumeric + ": 0x10"},
	{"1_000", msgNotNumeric + ": 1_000"},
	{"--1", msgNotNumeric + ": --1"},
	{"1e126", msgOverflow},
	{"-1e126", msgOverflow},
	{"11e125", msgOverflow},
	{"1e99999999999999999999", msgOverflow},
	{"1e-131", msgUnderflow},
	{"-1e-131", msgUnderflow},
	{"0.9e-130", msgUnderflow},
	{"1e-99999999999999999999", msgUnderflow},
	{"123456789012345678901234567890123456789", msgTooManyDigits},
	{"-1.23456789012345678901234567890123456789", msgTooManyDigits},
	{"3.14159265358979323846264338327950288419", msgTooManyDigits},
	{"314159265358979323846264338327950288419e30", msgTooManyDigits},
}

func TestParseNumberErrors(t *testing.T) {
	for _, c := range numberErrorCases {
		got, err := ParseNumber(c.in)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Msg != c.want {
			t.Errorf("ParseNumber(%q) = %q, %v; want error %q", c.in, got, err, c.want)
		}
	}
}

func TestCompareNumbers(t *testing.T) {
	ordered := []string{
		"-1e125", "-100", "-12", "-1.5", "-1", "-0.5", "-0.05", "-1e-130",
		"0",
		"1e-130", "0.05", "0.1", "0.5", "0.55", "1", "1.05", "1.5", "2", "10", "12", "100", "1e125",
	}
	canon := make([]string, len(ordered))
	for i, s := range ordered {
		c, err := ParseNumber(s)
		if err != nil {
			t.Fatal(err)
		}
		canon[i] = c
	}
	for i := range canon {
		for j := range canon {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := CompareNumbers(canon[i], canon[j]); got != want {
				t.Errorf("CompareNumbers(%s, %s) = %d, want %d", canon[i], canon[j], got, want)
			}
		}
	}
}

func TestAddSubtract(t *testing.T) {
	cases := []struct {
		a, b      string
		sub       bool
		want, err string
	}{
		{a: "1", b: "10000000000000000000000", want: "10000000000000000000001"},
		{a: "10000000000000000000000", b: "1", sub: true, want: "9999999999999999999999"},
		{a: "0.1", b: "0.2", want: "0.3"},
		{a: "1.5", b: "-1.5", want: "0"},
		{a: "-5", b: "3", sub: true, want: "-8"},
		{a: "1.25", b: "0.25", sub: true, want: "1"},
		{a: "9e125", b: "9e125", err: msgOverflow},
		{a: "9e125", b: "-9e125", sub: true, err: msgOverflow},
		{a: "1e50", b: "1", err: msgOverflow},
		{a: "1e50", b: "1", sub: true, err: msgOverflow},
		{a: "1.0000000000000000000000000000000000001e-130", b: "1e-130", sub: true, err: msgUnderflow},
		{a: "dog", b: "1", err: msgNotNumeric + ": dog"},
	}
	for _, c := range cases {
		f, op := AddNumbers, "+"
		if c.sub {
			f, op = SubtractNumbers, "-"
		}
		a, _ := ParseNumber(c.a)
		if a == "" {
			a = c.a
		}
		b, _ := ParseNumber(c.b)
		got, err := f(a, b)
		if c.err != "" {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Msg != c.err {
				t.Errorf("%s %s %s = %q, %v; want error %q", c.a, op, c.b, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s %s %s = %q, %v; want %q", c.a, op, c.b, got, err, c.want)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, c := range canonicalCases {
		f.Add(c.in, c.want)
	}
	for _, c := range numberErrorCases {
		f.Add(c.in, "1")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ca, erra := ParseNumber(a)
		cb, errb := ParseNumber(b)
		if erra == nil {
			if again, err := ParseNumber(ca); err != nil || again != ca {
				t.Fatalf("%q -> %q is not a fixed point: %q, %v", a, ca, again, err)
			}
		}
		if erra != nil || errb != nil {
			return
		}
		c := CompareNumbers(ca, cb)
		if -c != CompareNumbers(cb, ca) {
			t.Fatalf("CompareNumbers not antisymmetric on %q, %q", ca, cb)
		}
		ka, kb := EncodeKey(Num(ca)), EncodeKey(Num(cb))
		if k := strings.Compare(ka, kb); k != c {
			t.Fatalf("EncodeKey order %d != CompareNumbers %d for %q, %q", k, c, ca, cb)
		}
		if d, err := SubtractNumbers(ca, cb); err == nil {
			want := 0
			if d != "0" {
				want = 1
				if d[0] == '-' {
					want = -1
				}
			}
			if want != c {
				t.Fatalf("sign of %q - %q = %q disagrees with CompareNumbers %d", ca, cb, d, c)
			}
		}
	})
}

func BenchmarkCompareNumbers(b *testing.B) {
	x, y := "12345.6789", "12345.679"
	for b.Loop() {
		CompareNumbers(x, y)
	}
}

func BenchmarkParseNumber(b *testing.B) {
	for b.Loop() {
		_, _ = ParseNumber("12345.6789")
	}
}

// TestNumberErrorsByLayer: the older validation layer words an empty number
// without a colon and wraps a 32-bit exponent into an underflow; the
// current layer does neither (paritysuite valueLayers, AWS 2026).
func TestNumberErrorsByLayer(t *testing.T) {
	cases := []struct{ in, older, current string }{
		{"abc", msgNotNumeric + ": abc", msgNotNumeric + ": abc"},
		{"", msgNotNumeric, msgNotNumeric + ": "},
		{"1e126", msgOverflow, msgOverflow},
		{"1e2147483647", msgUnderflow, msgOverflow},
		{"12e2147483646", msgUnderflow, msgOverflow},
		{"1e2147483648", msgOverflow, msgOverflow},
		{"1e2147483646", msgOverflow, msgOverflow},
	}
	for _, c := range cases {
		_, err := ParseNumber(c.in)
		ve, ok := err.(*ValidationError)
		if !ok || ve.Msg != c.older || ve.Current() != c.current {
			t.Errorf("%q: %#v, want %q / %q", c.in, err, c.older, c.current)
		}
	}
}
