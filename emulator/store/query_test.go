package store

import (
	"slices"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// numTable has partitions "p" (sort keys 1..10), "o" and "q" (1..3).
func numTable(tb testing.TB) *Table {
	tb.Helper()
	tbl := newTable(tb, pkSKDef("t"))
	for i := 1; i <= 10; i++ {
		putAll(tb, tbl, attr.Item{"pk": str("p"), "sk": num(itoa(i))})
	}
	for i := 1; i <= 3; i++ {
		putAll(tb, tbl, attr.Item{"pk": str("o"), "sk": num(itoa(i))}, attr.Item{"pk": str("q"), "sk": num(itoa(i))})
	}
	return tbl
}

func incl(v string) *Bound { return &Bound{Value: num(v), Inclusive: true} }
func excl(v string) *Bound { return &Bound{Value: num(v)} }

func nums(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, itoa(i))
	}
	return out
}

func TestQueryRanges(t *testing.T) {
	t.Parallel()
	tbl := numTable(t)
	tests := []struct {
		name  string
		r     KeyRange
		after string // sort key of the exclusive start key, "" for none
		want  []string
	}{
		{"all", KeyRange{}, "", nums(1, 10)},
		{"eq", KeyRange{Lower: incl("5"), Upper: incl("5")}, "", []string{"5"}},
		{"eq missing", KeyRange{Lower: incl("5.5"), Upper: incl("5.5")}, "", nil},
		{">= 3", KeyRange{Lower: incl("3")}, "", nums(3, 10)},
		{"> 3", KeyRange{Lower: excl("3")}, "", nums(4, 10)},
		{"> 3.5", KeyRange{Lower: excl("3.5")}, "", nums(4, 10)},
		{"<= 7", KeyRange{Upper: incl("7")}, "", nums(1, 7)},
		{"< 7", KeyRange{Upper: excl("7")}, "", nums(1, 6)},
		{"between 3 and 7", KeyRange{Lower: incl("3"), Upper: incl("7")}, "", nums(3, 7)},
		{"3 < sk < 7", KeyRange{Lower: excl("3"), Upper: excl("7")}, "", nums(4, 6)},
		{"between -5 and 0", KeyRange{Lower: incl("-5"), Upper: incl("0")}, "", nil},
		{"> 100", KeyRange{Lower: excl("100")}, "", nil},
		{"empty between", KeyRange{Lower: incl("7"), Upper: incl("3")}, "", nil},
		{"all after 4", KeyRange{}, "4", nums(5, 10)},
		{"between after 4", KeyRange{Lower: incl("3"), Upper: incl("7")}, "4", nums(5, 7)},
		{"after the last", KeyRange{}, "10", nil},
		{"after a missing key", KeyRange{}, "4.5", nums(5, 10)},
		{"after below the range", KeyRange{Lower: incl("6")}, "2", nums(6, 10)},
	}
	for _, tt := range tests {
		var after attr.Item
		if tt.after != "" {
			after = attr.Item{"pk": str("p"), "sk": num(tt.after)}
		}
		got := vals(query(t, tbl, "", str("p"), tt.r, true, after), "sk")
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s forward: %q, want %q", tt.name, got, tt.want)
		}
		// In reverse the start key excludes everything from itself up.
		want := reversed(tt.want)
		if tt.after != "" {
			want = reversed(filterNums(tbl, t, tt.r, tt.after))
		}
		got = vals(query(t, tbl, "", str("p"), tt.r, false, after), "sk")
		if !slices.Equal(got, want) {
			t.Errorf("%s reverse: %q, want %q", tt.name, got, want)
		}
	}
}

// filterNums returns the sort keys of partition p within r that are below
// the sort key after.
func filterNums(tbl *Table, t *testing.T, r KeyRange, after string) []string {
	var out []string
	for _, it := range query(t, tbl, "", str("p"), r, true, nil) {
		if c, _ := attr.Compare(it["sk"], num(after)); c < 0 {
			out = append(out, it["sk"].S)
		}
	}
	return out
}

func TestQueryStops(t *testing.T) {
	t.Parallel()
	tbl := numTable(t)
	var got []string
	mustView(t, tbl, func(tx *Tx) {
		err := tx.Query("", str("p"), KeyRange{}, false, nil, func(it attr.Item) bool {
			got = append(got, it["sk"].S)
			return len(got) < 3
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	if !slices.Equal(got, []string{"10", "9", "8"}) {
		t.Errorf("got %q", got)
	}
}

func TestQueryPrefix(t *testing.T) {
	t.Parallel()
	def := TableDef{Name: "t", Key: KeySchema{Hash: "pk", HashType: attr.S, Range: "sk", RangeType: attr.B}}
	tbl := newTable(t, def)
	keys := []string{"\x00", "a", "a\x00", "ab", "abc", "ab\xff", "ac", "a\xff", "a\xff\x00", "a\xff\xff", "b", "\xff", "\xff\xff"}
	for _, k := range keys {
		putAll(t, tbl, attr.Item{"pk": str("p"), "sk": bin([]byte(k)...)}, attr.Item{"pk": str("z"), "sk": bin([]byte(k)...)})
	}
	tests := []struct {
		prefix string
		lower  *Bound
		want   []string
	}{
		{"a", nil, []string{"a", "a\x00", "ab", "abc", "ab\xff", "ac", "a\xff", "a\xff\x00", "a\xff\xff"}},
		{"ab", nil, []string{"ab", "abc", "ab\xff"}},
		{"a\xff", nil, []string{"a\xff", "a\xff\x00", "a\xff\xff"}},
		{"\xff", nil, []string{"\xff", "\xff\xff"}},
		{"abcd", nil, nil},
		{"c", nil, nil},
		{"a", &Bound{Value: bin('a', 'b'), Inclusive: false}, []string{"abc", "ab\xff", "ac", "a\xff", "a\xff\x00", "a\xff\xff"}},
	}
	for _, tt := range tests {
		p := bin([]byte(tt.prefix)...)
		r := KeyRange{Prefix: &p, Lower: tt.lower}
		if got := vals(query(t, tbl, "", str("p"), r, true, nil), "sk"); !slices.Equal(got, tt.want) {
			t.Errorf("begins_with %q: %q, want %q", tt.prefix, got, tt.want)
		}
		if got := vals(query(t, tbl, "", str("p"), r, false, nil), "sk"); !slices.Equal(got, reversed(tt.want)) {
			t.Errorf("begins_with %q reverse: %q", tt.prefix, got)
		}
	}
}

func TestQueryIndexWithEqualIndexKeys(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, gsiDef("t", Projection{Type: ProjectKeysOnly}))
	// Six items share gsk 1 in partition g: the table key orders them.
	for i := range 12 {
		putAll(t, tbl, attr.Item{"pk": str(pkName(i % 6)), "sk": num(itoa(i)), "gpk": str("g"), "gsk": num(itoa(i / 6))})
	}
	all := query(t, tbl, "g", str("g"), KeyRange{}, true, nil)
	if len(all) != 12 {
		t.Fatalf("index query returned %d items", len(all))
	}
	for i, start := range all {
		after := attr.Item{"gpk": start["gpk"], "gsk": start["gsk"], "pk": start["pk"], "sk": start["sk"]}
		got := query(t, tbl, "g", str("g"), KeyRange{}, true, after)
		if !slices.EqualFunc(got, all[i+1:], sameKey) {
			t.Fatalf("forward after item %d: %v", i, got)
		}
		got = query(t, tbl, "g", str("g"), KeyRange{}, false, after)
		if !slices.EqualFunc(got, reversed(all[:i]), sameKey) {
			t.Fatalf("reverse after item %d: %v", i, got)
		}
	}
	one := query(t, tbl, "g", str("g"), KeyRange{Lower: incl("1"), Upper: incl("1")}, true, nil)
	if got := vals(one, "gsk"); !slices.Equal(got, []string{"1", "1", "1", "1", "1", "1"}) {
		t.Errorf("gsk = 1: %q", got)
	}
}

func sameKey(a, b attr.Item) bool {
	return a["pk"].S == b["pk"].S && a["sk"].S == b["sk"].S
}

func TestQueryErrors(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, gsiDef("t", Projection{Type: ProjectAll}))
	hashOnly := newTable(t, TableDef{Name: "h", Key: KeySchema{Hash: "pk", HashType: attr.S}})
	s := str("x")
	tests := []struct {
		name  string
		tbl   *Table
		index string
		hash  attr.Value
		r     KeyRange
		after attr.Item
		want  error
	}{
		{"unknown index", tbl, "nope", s, KeyRange{}, nil, ErrNoSuchIndex},
		{"hash type", tbl, "", num("1"), KeyRange{}, nil, ErrInvalidKey},
		{"bound type", tbl, "", s, KeyRange{Lower: &Bound{Value: s}}, nil, ErrInvalidKey},
		{"prefix type", tbl, "", s, KeyRange{Prefix: &s}, nil, ErrInvalidKey},
		{"range without sort key", hashOnly, "", s, KeyRange{Upper: &Bound{Value: s}}, nil, ErrInvalidKey},
		{"start key incomplete", tbl, "", s, KeyRange{}, attr.Item{"pk": s}, ErrInvalidKey},
		{"start key other partition", tbl, "", s, KeyRange{}, attr.Item{"pk": str("y"), "sk": num("1")}, ErrInvalidKey},
		{"index start key lacks table key", tbl, "g", s, KeyRange{}, attr.Item{"gpk": s, "gsk": num("1")}, ErrInvalidKey},
	}
	for _, tt := range tests {
		_, err := tryQuery(tt.tbl, tt.index, tt.hash, tt.r, true, tt.after)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		wantErr(t, err, tt.want)
	}
}
