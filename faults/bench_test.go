package faults

import (
	"strconv"
	"testing"
)

// tenMisses are 10 rules of each target that match nothing the benchmarks
// send.
func tenMisses() []Rule {
	var rules []Rule
	for i := range 10 {
		s := strconv.Itoa(i)
		rules = append(rules,
			errorRule("api-"+s, "other-"+s, "InternalServerError", When{Probability: 0.5}),
			dropRule("stream-"+s, "other-"+s, When{Probability: 0.5}))
	}
	return rules
}

func BenchmarkDecideAPI(b *testing.B) {
	ev := APIEvent{Operation: "PutItem", Table: "orders", RequestID: "R"}
	b.Run("no rules", func(b *testing.B) {
		in := New(Options{})
		for b.Loop() {
			in.DecideAPI(ev)
		}
	})
	b.Run("10 non-matching rules", func(b *testing.B) {
		in := New(Options{})
		if _, err := in.Add(tenMisses()...); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			in.DecideAPI(ev)
		}
	})
}

func BenchmarkDecideStream(b *testing.B) {
	ev := record("orders", 1)
	b.Run("no rules", func(b *testing.B) {
		in := New(Options{})
		for b.Loop() {
			in.DecideStream(ev)
		}
	})
	b.Run("10 non-matching rules", func(b *testing.B) {
		in := New(Options{})
		if _, err := in.Add(tenMisses()...); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			in.DecideStream(ev)
		}
	})
	b.Run("firing rule", func(b *testing.B) {
		in := New(Options{JournalLimit: 1000})
		if _, err := in.Add(dropRule("all", "orders", When{})); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			in.DecideStream(ev)
		}
	})
}
