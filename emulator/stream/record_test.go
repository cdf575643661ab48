package stream

import (
	"testing"
	"unsafe"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestBuildEventNamesAndNoOps(t *testing.T) {
	f := newFixture(t, Options{}, 1, NewAndOldImages)
	a := item("a", 1, "x", "1")
	mapA := attr.Item{"pk": attr.Str("a"), "sk": attr.Num("1"), "m": attr.Map(map[string]attr.Value{"p": attr.Str("1"), "q": attr.Str("2")})}
	mapB := attr.Item{"sk": attr.Num("1"), "m": attr.Map(map[string]attr.Value{"q": attr.Str("2"), "p": attr.Str("1")}), "pk": attr.Str("a")}
	cases := []struct {
		name     string
		old, new attr.Item
		want     string // "" for no record
	}{
		{"insert", nil, a, Insert},
		{"remove", a, nil, Remove},
		{"modify", a, item("a", 1, "x", "2"), Modify},
		{"identical", a, item("a", 1, "x", "1"), ""},
		{"maps in another member order", mapA, mapB, ""},
		{"nothing", nil, nil, ""},
	}
	for _, c := range cases {
		r, ok := f.s.Build(c.old, c.new, false)
		if got := map[bool]string{true: r.EventName}[ok]; got != c.want {
			t.Errorf("%s: event %q, want %q", c.name, got, c.want)
		}
	}
}

func TestBuildImagesAndSize(t *testing.T) {
	old := attr.Item{"pk": attr.Str("my-item-id"), "sk": attr.Num("1"), "a": attr.Str("value1")}
	new := attr.Item{"pk": attr.Str("my-item-id"), "sk": attr.Num("1"), "a": attr.Str("value2")}
	keys := attr.ItemSize(attr.Item{"pk": attr.Str("my-item-id"), "sk": attr.Num("1")})
	img := attr.ItemSize(new)
	cases := []struct {
		view           string
		hasNew, hasOld bool
		size           int
	}{
		{KeysOnly, false, false, keys},
		{NewImage, true, false, keys + img},
		{OldImage, false, true, keys + img},
		{NewAndOldImages, true, true, keys + 2*img},
	}
	for _, c := range cases {
		f := newFixture(t, Options{}, 1, c.view)
		r, _ := f.s.Build(old, new, false)
		if r.HasNewImage() != c.hasNew || r.HasOldImage() != c.hasOld || r.SizeBytes != int64(c.size) {
			t.Errorf("%s: new %v old %v size %d, want %v %v %d", c.view, r.HasNewImage(), r.HasOldImage(), r.SizeBytes, c.hasNew, c.hasOld, c.size)
		}
		if (r.NewItem() != nil) != c.hasNew || (r.OldItem() != nil) != c.hasOld {
			t.Errorf("%s: NewItem %v OldItem %v", c.view, r.NewItem(), r.OldItem())
		}
		if c.hasNew {
			requireItem(t, r.NewItem(), new)
		}
		if c.hasOld {
			requireItem(t, r.OldItem(), old)
		}
		requireItem(t, r.KeysItem(), attr.Item{"pk": attr.Str("my-item-id"), "sk": attr.Num("1")})
		if r.Hash != attr.PartitionHash(attr.Str("my-item-id")) {
			t.Errorf("%s: hash %x", c.view, r.Hash)
		}
	}
	// The AWS-recorded example: Keys id=my-item-id (12) and two 34-byte images = 80.
	s := newFixture(t, Options{}, 1, NewAndOldImages).s
	s.spec.Key = KeySchema{Hash: "id"}
	o := attr.Item{"id": attr.Str("my-item-id"), "attr1": attr.Str("value1"), "attr2": attr.Str("value2")}
	n := attr.Item{"id": attr.Str("my-item-id"), "attr1": attr.Str("value2"), "attr2": attr.Str("value3")}
	if r, _ := s.Build(o, n, true); r.SizeBytes != 80 || !r.Service {
		t.Errorf("recorded example: size %d service %v, want 80 true", r.SizeBytes, r.Service)
	}
}

func requireItem(t *testing.T, got, want attr.Item) {
	t.Helper()
	if !attr.Equal(attr.Map(got), attr.Map(want)) {
		t.Errorf("item %v, want %v", got, want)
	}
}

// TestRecordJSON checks that the JSON of a record's keys and images is
// DynamoDB's, byte for byte attr.AppendItemJSON's, for every view type,
// with the packed forms shared from the change or packed by Build.
func TestRecordJSON(t *testing.T) {
	old := attr.Item{"pk": attr.Str("a\"b"), "sk": attr.Num("-1.5"), "m": attr.Map(map[string]attr.Value{"z": attr.Null(), "a": attr.Bin([]byte{0, 1})}),
		"ss": {Type: attr.SS, Set: []string{"x", "y"}}}
	new := attr.Item{"pk": attr.Str("a\"b"), "sk": attr.Num("-1.5"), "l": attr.List(attr.Num("1"), attr.Boolean(true))}
	keys := attr.Item{"pk": attr.Str("a\"b"), "sk": attr.Num("-1.5")}
	for _, view := range []string{KeysOnly, NewImage, OldImage, NewAndOldImages} {
		f := newFixture(t, Options{}, 1, view)
		for _, c := range []Change{
			{Old: old, New: new},
			{Old: old, New: new, OldPacked: attr.PackString(old), NewPacked: attr.PackString(new)},
		} {
			r, ok := f.s.BuildChange(c)
			if !ok {
				t.Fatalf("%s: no record", view)
			}
			wantJSON(t, view+" keys", r.AppendKeysJSON([]byte("x")), keys)
			wantNew := map[bool]attr.Item{true: new}[view == NewImage || view == NewAndOldImages]
			wantOld := map[bool]attr.Item{true: old}[view == OldImage || view == NewAndOldImages]
			wantJSON(t, view+" new", r.AppendNewImageJSON([]byte("x")), wantNew)
			wantJSON(t, view+" old", r.AppendOldImageJSON([]byte("x")), wantOld)
		}
	}
}

// wantJSON checks that got is "x" followed by want's JSON, or "x" alone
// for a nil want.
func wantJSON(t *testing.T, what string, got []byte, want attr.Item) {
	t.Helper()
	w := []byte("x")
	if want != nil {
		w = attr.AppendItemJSON(w, want)
	}
	if string(got) != string(w) {
		t.Errorf("%s: %s, want %s", what, got, w)
	}
}

// TestBuildSharesPackedImages checks that a record keeps the packed forms
// the change carries instead of packing its images again, and that equal
// packed forms make no record.
func TestBuildSharesPackedImages(t *testing.T) {
	f := newFixture(t, Options{}, 1, NewAndOldImages)
	old, new := item("a", 1, "x", "1"), item("a", 1, "x", "2")
	po, pn := attr.PackString(old), attr.PackString(new)
	r, ok := f.s.BuildChange(Change{Old: old, New: new, OldPacked: po, NewPacked: pn})
	if !ok || unsafe.StringData(r.PackedNewImage()) != unsafe.StringData(pn) || unsafe.StringData(r.PackedOldImage()) != unsafe.StringData(po) {
		t.Errorf("record does not share the change's packed images")
	}
	if _, ok := f.s.BuildChange(Change{Old: old, New: old, OldPacked: po, NewPacked: po}); ok {
		t.Error("a change to an equal item made a record")
	}
}

func TestNewRecord(t *testing.T) {
	keys, img := attr.Item{"pk": attr.Str("a")}, attr.Item{"pk": attr.Str("a"), "v": attr.Num("1")}
	r := NewRecord(Insert, keys, img, nil)
	requireItem(t, r.KeysItem(), keys)
	requireItem(t, r.NewItem(), img)
	if r.HasOldImage() || r.OldItem() != nil || !r.HasNewImage() || r.SizeBytes != int64(attr.ItemSize(keys)+attr.ItemSize(img)) {
		t.Errorf("NewRecord: %+v", r)
	}
}
