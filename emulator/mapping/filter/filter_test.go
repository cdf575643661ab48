package filter

import (
	"errors"
	"strings"
	"testing"
)

// ddbEvent is a Lambda DynamoDB record as the poller filters it.
const ddbEvent = `{"eventID":"e1","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",
 "dynamodb":{"ApproximateCreationDateTime":1732550860.5,"Keys":{"pk":{"S":"order#1"}},
  "NewImage":{"pk":{"S":"order#1"},"amount":{"N":"42"},"status":{"S":"Shipped"},"tags":{"SS":["a","b"]},"ip":{"S":"10.1.2.3"},"gone":{"NULL":true}},
  "SequenceNumber":"100","SizeBytes":70,"StreamViewType":"NEW_IMAGE"},
 "eventSourceARN":"arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/x"}`

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern string
		want    bool
	}{
		{`{"eventName":["INSERT"]}`, true},
		{`{"eventName":["MODIFY","REMOVE"]}`, false},
		{`{"eventName":["INSERT"],"dynamodb":{"NewImage":{"status":{"S":["Shipped"]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":["Shipped"]}}}`, false}, // the S wrapper is part of the path
		{`{"dynamodb":{"NewImage":{"amount":{"N":["42"]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"amount":{"N":[42]}}}}`, false}, // N values are JSON strings
		{`{"dynamodb":{"NewImage":{"amount":{"N":[{"numeric":[">",10]}]}}}}`, false},
		{`{"dynamodb":{"NewImage":{"amount":{"N":[{"numeric":[">",100]},{"anything-but":"101"}]}}}}`, true},
		{`{"dynamodb":{"ApproximateCreationDateTime":[{"numeric":[">",0]}]}}`, true},
		{`{"dynamodb":{"ApproximateCreationDateTime":[{"numeric":[">",0,"<=",1732550860.5]}]}}`, true},
		{`{"dynamodb":{"ApproximateCreationDateTime":[{"numeric":["=",1732550860.5]}]}}`, true},
		{`{"dynamodb":{"SizeBytes":[70]}}`, true},
		{`{"dynamodb":{"SizeBytes":[70.0]}}`, false}, // numbers compare by their text
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"prefix":"Ship"}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"prefix":{"equals-ignore-case":"SHIP"}}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"suffix":"ped"}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"equals-ignore-case":"shipped"}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"anything-but":["Shipped","Lost"]}]}}}}`, false},
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"anything-but":{"prefix":"Lo"}}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"wildcard":"S*p*d"}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"wildcard":"S*x"}]}}}}`, false},
		{`{"dynamodb":{"NewImage":{"ip":{"S":[{"cidr":"10.0.0.0/8"}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"ip":{"S":[{"cidr":"192.168.0.0/16"}]}}}}`, false},
		{`{"dynamodb":{"NewImage":{"tags":{"SS":["b"]}}}}`, true}, // any element of an array
		{`{"dynamodb":{"NewImage":{"missing":{"S":[{"exists":false}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"exists":false}]}}}}`, false},
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"exists":true}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":[{"exists":true}]}}}`, false}, // an object is not a leaf
		{`{"dynamodb":{"NewImage":{"gone":{"NULL":[true]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"missing":{"S":[{"anything-but":"x"}]}}}}`, false}, // absent fields never match
		{`{"$or":[{"eventName":["REMOVE"]},{"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"order#"}]}}}}]}`, true},
		{`{"$or":[{"eventName":["REMOVE"]},{"eventName":["MODIFY"]}]}`, false},
		{`{"eventName":["INSERT"],"eventName":["MODIFY"]}`, false}, // the last duplicate key wins
	}
	for _, c := range cases {
		p, err := Compile(c.pattern)
		if err != nil {
			t.Errorf("Compile(%s): %v", c.pattern, err)
			continue
		}
		if got := p.Match([]byte(ddbEvent)); got != c.want {
			t.Errorf("Match(%s) = %v, want %v", c.pattern, got, c.want)
		}
	}
}

func TestCompileRejects(t *testing.T) {
	for _, p := range []string{
		``, `"INSERT"`, `[]`, `{}`, `not json`, `{"a":"b"}`, `{"a":1}`, `{"a":[]}`, `{"a":[{}]}`,
		`{"a":[{"regexp":"x"}]}`, `{"a":[{"shellstyle":"x*"}]}`, `{"a":[{"prefix":1}]}`,
		`{"a":[{"numeric":[">"]}]}`, `{"a":[{"numeric":["<",1,">",0]}]}`, `{"a":[{"numeric":["!=",1]}]}`,
		`{"a":[{"numeric":[">","1"]}]}`, `{"a":[{"exists":"yes"}]}`, `{"a":[{"cidr":"nope"}]}`,
		`{"a":[{"anything-but":[]}]}`, `{"a":[{"anything-but":{"numeric":[">",1]}}]}`,
		`{"a":[{"prefix":"x","suffix":"y"}]}`, `{"$or":[{"a":["x"]}]}`, `{"$or":{"a":["x"]}}`,
		`{"a":[{"wildcard":"a**b"}]}`, `{"a":["x"]} trailing`,
		`{"a":["` + strings.Repeat("x", MaxPatternLength) + `"]}`,
		strings.Repeat(`{"a":`, 100) + `["x"]` + strings.Repeat(`}`, 100),
	} {
		if _, err := Compile(p); !errors.Is(err, ErrInvalid) {
			t.Errorf("Compile(%.60s) = %v, want ErrInvalid", p, err)
		}
	}
}

func TestWildcard(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"a*", "abc", true}, {"*c", "abc", true}, {"a*c", "ac", true},
		{"a*b*c", "aXbYc", true}, {"a*b*c", "acb", false}, {`a\*`, "a*", true}, {`a\*`, "ab", false},
		{"abc", "abc", true}, {"ab*ab", "ab", false},
	} {
		if got := wildcard(c.p, c.s); got != c.want {
			t.Errorf("wildcard(%q, %q) = %v, want %v", c.p, c.s, got, c.want)
		}
	}
}

// FuzzFilter checks that no pattern or event panics, that Compile either
// accepts or answers ErrInvalid, and that matching is deterministic.
func FuzzFilter(f *testing.F) {
	f.Add(`{"eventName":["INSERT"]}`, ddbEvent)
	f.Add(`{"dynamodb":{"NewImage":{"amount":{"N":[{"numeric":[">",100]},{"anything-but":"101"}]}}}}`, ddbEvent)
	f.Add(`{"$or":[{"a":[{"wildcard":"*x*"}]},{"b":[{"cidr":"::1/128"}]}]}`, `{"a":"yxz","b":"::1"}`)
	f.Add(`{"a":[{"exists":false}],"b":{"c":[null,true,1e3]}}`, `{"b":{"c":[1e3]}}`)
	f.Fuzz(func(t *testing.T, pattern, event string) {
		p, err := Compile(pattern)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Compile error %v is not ErrInvalid", err)
			}
			return
		}
		if p.Match([]byte(event)) != p.Match([]byte(event)) {
			t.Fatal("Match is not deterministic")
		}
	})
}
