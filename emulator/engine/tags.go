package engine

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dynafault/dynafault/emulator/store"
)

// Tag limits.
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
	tagsPageSize   = maxTags // DynamoDB returns every tag in one page
)

// tagCharsRE is the character set AWS allows in tag keys and values.
var tagCharsRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// TagResource adds or overwrites tags of a table. Its output is empty.
func (e *Engine) TagResource(ctx context.Context, in *TagResourceInput) (*EmptyOutput, error) {
	if err := e.checkResourceARN("TagResource", in.ResourceArn); err != nil {
		return nil, err
	}
	if len(in.Tags) == 0 {
		return nil, validationErr("Atleast one Tag needs to be provided as Input.")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	t, err := e.resourceTable(*in.ResourceArn)
	if err != nil {
		return nil, err
	}
	err = t.Update(func(tx *store.Tx) error {
		m := e.tableMetaOf(tx).clone()
		for _, tag := range in.Tags {
			m.Tags = setTag(m.Tags, *tag.Key, *tag.Value)
		}
		if len(m.Tags) > maxTags {
			return errTooManyTags()
		}
		tx.SetMeta(m)
		return nil
	})
	if err != nil {
		return nil, droppedAs(err, errResourceNotFound(*in.ResourceArn))
	}
	return &EmptyOutput{}, nil
}

// UntagResource removes tags from a table. Its output is empty.
func (e *Engine) UntagResource(ctx context.Context, in *UntagResourceInput) (*EmptyOutput, error) {
	if err := e.checkResourceARN("UntagResource", in.ResourceArn); err != nil {
		return nil, err
	}
	if len(in.TagKeys) == 0 {
		return nil, validationErr("Atleast one Tag Key needs to be provided as Input.")
	}
	if len(in.TagKeys) > maxTags {
		return nil, errTooManyTags()
	}
	for _, k := range in.TagKeys {
		if err := checkTagKey(&k); err != nil {
			return nil, err
		}
		if err := checkTagPrefix(k); err != nil {
			return nil, err
		}
	}
	t, err := e.resourceTable(*in.ResourceArn)
	if err != nil {
		return nil, err
	}
	err = t.Update(func(tx *store.Tx) error {
		m := e.tableMetaOf(tx).clone()
		kept := m.Tags[:0]
		for _, tag := range m.Tags {
			if !contains(in.TagKeys, tag.Key) {
				kept = append(kept, tag)
			}
		}
		m.Tags = kept
		tx.SetMeta(m)
		return nil
	})
	if err != nil {
		return nil, droppedAs(err, errResourceNotFound(*in.ResourceArn))
	}
	return &EmptyOutput{}, nil
}

// ListTagsOfResource lists a table's tags.
func (e *Engine) ListTagsOfResource(ctx context.Context, in *ListTagsOfResourceInput) (*ListTagsOfResourceOutput, error) {
	if err := e.checkResourceARN("ListTagsOfResource", in.ResourceArn); err != nil {
		return nil, err
	}
	t, err := e.resourceTable(*in.ResourceArn)
	if err != nil {
		return nil, err
	}
	var tags []tagKV
	err = t.View(func(tx *store.Tx) error {
		tags = e.tableMetaOf(tx).Tags
		return nil
	})
	if err != nil {
		return nil, droppedAs(err, errResourceNotFound(*in.ResourceArn))
	}
	page, next, err := pageTags(tags, in.NextToken, tagsPageSize)
	if err != nil {
		return nil, err
	}
	out := &ListTagsOfResourceOutput{Tags: []Tag{}, NextToken: next}
	for _, tag := range page {
		out.Tags = append(out.Tags, Tag{Key: sp(tag.Key), Value: sp(tag.Value)})
	}
	return out, nil
}

// pageTags returns the page of tags starting at token (a decimal offset
// issued by an earlier page) and the token of the next page, if any.
func pageTags(tags []tagKV, token *string, size int) ([]tagKV, *string, error) {
	start := 0
	if token != nil {
		n, err := strconv.Atoi(*token)
		if err != nil || n < 0 || n > len(tags) {
			return nil, nil, validationErr("Invalid NextToken: " + *token)
		}
		start = n
	}
	end := min(start+size, len(tags))
	var next *string
	if end < len(tags) {
		next = sp(strconv.Itoa(end))
	}
	return tags[start:end], next, nil
}

// checkTags validates tags given to TagResource or CreateTable.
func checkTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, tag := range tags {
		if err := checkTagKey(tag.Key); err != nil {
			return err
		}
		if err := checkTagPrefix(*tag.Key); err != nil {
			return err
		}
		if tag.Value == nil {
			return validationErr("The Tag Value provided is invalid, Value: null")
		}
		if utf8.RuneCountInString(*tag.Value) > maxTagValueLen || !tagCharsRE.MatchString(*tag.Value) {
			return validationErr("The Tag Value provided is invalid, Value: " + *tag.Value)
		}
		if seen[*tag.Key] {
			return validationErr("Duplicate Tag Keys provided as input: Duplicate Tag Key found " + *tag.Key)
		}
		seen[*tag.Key] = true
	}
	if len(tags) > maxTags {
		return errTooManyTags()
	}
	return nil
}

// checkTagKey validates one tag key.
func checkTagKey(k *string) error {
	if k == nil {
		return validationErr("The Tag Key provided is invalid, Key: null")
	}
	if n := utf8.RuneCountInString(*k); n < 1 || n > maxTagKeyLen || !tagCharsRE.MatchString(*k) {
		return validationErr("The Tag Key provided is invalid, Key: " + *k)
	}
	return nil
}

// checkTagPrefix refuses the keys AWS reserves, "aws:" in any case, when
// tagging and when untagging (the 2026 ack-api-quirks DynamoDB catalogue,
// DDB-TABLE-105: "AWS:foo" and UntagResource ["aws:foo"] are refused too).
func checkTagPrefix(k string) error {
	if len(k) >= 4 && strings.EqualFold(k[:4], "aws:") {
		return validationErr("Tag Key cannot be prefixed with aws:, Key: " + k)
	}
	return nil
}

// errTooManyTags is the error for more than 50 tags on a table.
func errTooManyTags() *Error {
	return validationErr("Number of Tags exceed the current limit for the provided ResourceArn")
}

// setTag sets key to value, keeping the position of an existing key.
func setTag(tags []tagKV, key, value string) []tagKV {
	for i := range tags {
		if tags[i].Key == key {
			tags[i].Value = value
			return tags
		}
	}
	return append(tags, tagKV{Key: key, Value: value})
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
