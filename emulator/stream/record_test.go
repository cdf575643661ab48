package stream

import (
	"testing"

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
		if (r.NewImage != nil) != c.hasNew || (r.OldImage != nil) != c.hasOld || r.SizeBytes != int64(c.size) {
			t.Errorf("%s: new %v old %v size %d, want %v %v %d", c.view, r.NewImage != nil, r.OldImage != nil, r.SizeBytes, c.hasNew, c.hasOld, c.size)
		}
		if len(r.Keys) != 2 || r.Hash != attr.PartitionHash(attr.Str("my-item-id")) {
			t.Errorf("%s: keys %v hash %x", c.view, r.Keys, r.Hash)
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
