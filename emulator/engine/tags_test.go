package engine

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const tagARNPrefix = "arn:aws:dynamodb:us-east-1:000000000000:table/"

func tagsOf(t *testing.T, e *Engine, arn string) []string {
	t.Helper()
	out, err := e.ListTagsOfResource(context.Background(), &ListTagsOfResourceInput{ResourceArn: sp(arn)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tag := range out.Tags {
		got = append(got, *tag.Key+"="+*tag.Value)
	}
	return got
}

func tag(k, v string) Tag { return Tag{Key: sp(k), Value: sp(v)} }

func TestTags(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	in := simpleTable("tagged")
	in.Tags = []Tag{tag("system:initial_tablets", "none"), tag("a", "1")}
	arn := mustCreate(t, e, in).TableArn

	out, err := e.ListTagsOfResource(ctx, &ListTagsOfResourceInput{ResourceArn: sp(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(out); string(b) != `{"Tags":[{"Key":"system:initial_tablets","Value":"none"},{"Key":"a","Value":"1"}]}` {
		t.Fatalf("ListTagsOfResource = %s", b)
	}
	res, err := e.TagResource(ctx, &TagResourceInput{ResourceArn: sp(arn), Tags: []Tag{tag("b", "2"), tag("a", "one"), tag("empty", "")}})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(res); string(b) != `{}` {
		t.Errorf("TagResource output = %s", b)
	}
	if got, want := tagsOf(t, e, arn), []string{"system:initial_tablets=none", "a=one", "b=2", "empty="}; !slices.Equal(got, want) {
		t.Fatalf("tags = %v, want %v", got, want)
	}
	if _, err := e.UntagResource(ctx, &UntagResourceInput{ResourceArn: sp(arn), TagKeys: []string{"a", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if got, want := tagsOf(t, e, arn), []string{"system:initial_tablets=none", "b=2", "empty="}; !slices.Equal(got, want) {
		t.Fatalf("tags = %v, want %v", got, want)
	}
	empty := mustCreate(t, e, simpleTable("untagged")).TableArn
	out, _ = e.ListTagsOfResource(ctx, &ListTagsOfResourceInput{ResourceArn: sp(empty)})
	if b, _ := json.Marshal(out); string(b) != `{"Tags":[]}` {
		t.Errorf("empty = %s", b)
	}
}

func TestTagLimits(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	arn := mustCreate(t, e, simpleTable("tag_limits")).TableArn
	k128, k129 := strings.Repeat("k", 128), strings.Repeat("k", 129)
	v256, v257 := strings.Repeat("v", 256), strings.Repeat("v", 257)
	cases := []struct {
		tags []Tag
		msg  string
	}{
		{nil, "Atleast one Tag needs to be provided as Input."},
		{[]Tag{tag(k129, "v")}, "The Tag Key provided is invalid, Key: " + k129},
		{[]Tag{tag("", "v")}, "The Tag Key provided is invalid, Key: "},
		{[]Tag{{Value: sp("v")}}, "The Tag Key provided is invalid, Key: null"},
		{[]Tag{{Key: sp("k")}}, "The Tag Value provided is invalid, Value: null"},
		{[]Tag{tag("k", v257)}, "The Tag Value provided is invalid, Value: " + v257},
		{[]Tag{tag("k", "100%")}, "The Tag Value provided is invalid, Value: 100%"},
		{[]Tag{tag("a#b", "v")}, "The Tag Key provided is invalid, Key: a#b"},
		{[]Tag{tag("good", "v"), tag("aws:zzz", "v")}, "Tag Key cannot be prefixed with aws:, Key: aws:zzz"},
		{[]Tag{tag("AWS:foo", "v")}, "Tag Key cannot be prefixed with aws:, Key: AWS:foo"},
		{[]Tag{tag("dup", "1"), tag("dup", "2")}, "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup"},
	}
	for _, c := range cases {
		_, err := e.TagResource(ctx, &TagResourceInput{ResourceArn: sp(arn), Tags: c.tags})
		wantErr(t, err, Validation, c.msg)
	}
	if got := tagsOf(t, e, arn); len(got) != 0 {
		t.Fatalf("rejected requests left tags %v", got)
	}
	if _, err := e.TagResource(ctx, &TagResourceInput{ResourceArn: sp(arn), Tags: []Tag{tag(k128, v256), tag("ключ café", "a+b-c=d.e_f:g/h@i"), tag("myaws:foo", "")}}); err != nil {
		t.Fatal(err)
	}
	var many []Tag
	for i := range 48 {
		many = append(many, tag("t"+strconv.Itoa(i), "v"))
	}
	_, err := e.TagResource(ctx, &TagResourceInput{ResourceArn: sp(arn), Tags: many})
	wantErr(t, err, Validation, "Number of Tags exceed the current limit for the provided ResourceArn")
	if _, err := e.TagResource(ctx, &TagResourceInput{ResourceArn: sp(arn), Tags: many[:47]}); err != nil {
		t.Fatal(err)
	}
	if got := tagsOf(t, e, arn); len(got) != 50 {
		t.Fatalf("%d tags, want 50", len(got))
	}
	_, err = e.UntagResource(ctx, &UntagResourceInput{ResourceArn: sp(arn), TagKeys: []string{}})
	wantErr(t, err, Validation, "Atleast one Tag Key needs to be provided as Input.")
	_, err = e.UntagResource(ctx, &UntagResourceInput{ResourceArn: sp(arn), TagKeys: []string{k129}})
	wantErr(t, err, Validation, "The Tag Key provided is invalid, Key: "+k129)
	_, err = e.UntagResource(ctx, &UntagResourceInput{ResourceArn: sp(arn), TagKeys: []string{"t1", "aws:foo"}})
	wantErr(t, err, Validation, "Tag Key cannot be prefixed with aws:, Key: aws:foo")
	keys := make([]string, 51)
	for i := range keys {
		keys[i] = "t" + strconv.Itoa(i)
	}
	_, err = e.UntagResource(ctx, &UntagResourceInput{ResourceArn: sp(arn), TagKeys: keys})
	wantErr(t, err, Validation, "Number of Tags exceed the current limit for the provided ResourceArn")
}

func TestTagResourceARN(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	mustCreate(t, e, simpleTable("arn_checks"))
	denied := func(res string) string {
		return "User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: " + res
	}
	cases := []struct {
		arn  *string
		code Code
		msg  string
	}{
		{nil, Validation, "Invalid TableArn"},
		{sp(""), AccessDenied, denied("*")},
		{sp("abcd"), Validation, "One or more parameter values were invalid: ARNs must start with 'arn:': abcd"},
		{sp("arn_checks"), Validation, "One or more parameter values were invalid: ARNs must start with 'arn:': arn_checks"},
		{sp("arn:b:c:d:e"), AccessDenied, denied("arn:b:c:d:e")},
		{sp("arn:aws:s3:us-east-1:000000000000:table/arn_checks"), Validation,
			"One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: arn:aws:s3:us-east-1:000000000000:table/arn_checks"},
		{sp("arn:aws:dynamodb:us-east-1:111111111111:table/arn_checks"), AccessDenied, "Access is denied"},
		{sp("arn:aws:dynamodb:eu-west-1:000000000000:table/arn_checks"), Validation,
			"Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:000000000000:table/arn_checks"},
		{sp(tagARNPrefix + "ab"), Validation, "Invalid TableArn: Invalid ResourceArn provided as input " + tagARNPrefix + "ab"},
		{sp(tagARNPrefix + "arn_checks/index/by_x"), Validation,
			"One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: " + tagARNPrefix + "arn_checks/index/by_x"},
		{sp(tagARNPrefix + "arn_checks/backup/01700000000000-abcdef12"), Validation,
			"One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: " + tagARNPrefix + "arn_checks/backup/01700000000000-abcdef12"},
		{sp(tagARNPrefix + "arn_checks/stream/2026-11-21T09:34:43.123"), ResourceNotFound,
			"Requested resource not found: ResourceArn: " + tagARNPrefix + "arn_checks/stream/2026-11-21T09:34:43.123 not found"},
		{sp(tagARNPrefix + "missing_table"), ResourceNotFound, "Requested resource not found: ResourceArn: " + tagARNPrefix + "missing_table not found"},
	}
	for _, c := range cases {
		_, err := e.ListTagsOfResource(ctx, &ListTagsOfResourceInput{ResourceArn: c.arn})
		wantErr(t, err, c.code, c.msg)
	}
	_, err := e.TagResource(ctx, &TagResourceInput{ResourceArn: sp(tagARNPrefix + "missing_table"), Tags: []Tag{tag("k", "v")}})
	wantErr(t, err, ResourceNotFound, "Requested resource not found: ResourceArn: "+tagARNPrefix+"missing_table not found")
	_, err = e.UntagResource(ctx, &UntagResourceInput{ResourceArn: sp(""), TagKeys: []string{"k"}})
	wantErr(t, err, AccessDenied, "User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:UntagResource on resource: *")
}

func TestPageTags(t *testing.T) {
	t.Parallel()
	tags := []tagKV{{"a", "1"}, {"b", "2"}, {"c", "3"}}
	var got []string
	var token *string
	for range 5 {
		page, next, err := pageTags(tags, token, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range page {
			got = append(got, tg.Key)
		}
		if token = next; token == nil {
			break
		}
	}
	if !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("paged = %v", got)
	}
	_, _, err := pageTags(tags, sp("bogus"), 2)
	wantErr(t, err, Validation, "Invalid NextToken: bogus")
	page, next, err := pageTags(tags, nil, tagsPageSize)
	if err != nil || len(page) != 3 || next != nil {
		t.Fatalf("one page = %v %v %v", page, next, err)
	}
}
