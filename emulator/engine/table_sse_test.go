package engine

import (
	"context"
	"strings"
	"testing"
)

func TestTableEncryptionKeys(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	managed := e.kmsKeyARN(&SSESpecification{Enabled: bp(true)})
	if !strings.HasPrefix(managed, "arn:aws:kms:us-east-1:000000000000:key/") || len(managed) != len("arn:aws:kms:us-east-1:000000000000:key/")+36 {
		t.Fatalf("AWS managed key = %q", managed)
	}
	keyARN := "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	cases := []struct {
		s    *SSESpecification
		want string
	}{
		{nil, ""},
		{&SSESpecification{Enabled: bp(false)}, ""},
		{&SSESpecification{Enabled: bp(false), SSEType: sp("KMS")}, ""},
		{&SSESpecification{Enabled: bp(true), SSEType: sp("AES256")}, ""},
		{&SSESpecification{Enabled: bp(true)}, managed},
		{&SSESpecification{SSEType: sp("KMS")}, managed},
		{&SSESpecification{Enabled: bp(true), KMSMasterKeyID: sp("alias/aws/dynamodb")}, managed},
		{&SSESpecification{Enabled: bp(true), KMSMasterKeyID: sp("arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb")}, managed},
		{&SSESpecification{Enabled: bp(true), KMSMasterKeyID: sp("1234abcd-12ab-34cd-56ef-1234567890ab")}, keyARN},
		{&SSESpecification{Enabled: bp(true), KMSMasterKeyID: sp(keyARN)}, keyARN},
	}
	for _, c := range cases {
		if got := e.kmsKeyARN(c.s); got != c.want {
			t.Errorf("%+v: %q, want %q", c.s, got, c.want)
		}
	}
	if other := e.kmsKeyARN(&SSESpecification{Enabled: bp(true), KMSMasterKeyID: sp("alias/mine")}); other == managed || !strings.Contains(other, ":key/") {
		t.Errorf("alias/mine = %q", other)
	}
}

func TestTableEncryptionDescribed(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	in := simpleTable("sse_t")
	in.SSESpecification = &SSESpecification{Enabled: bp(true), KMSMasterKeyID: sp("1234abcd-12ab-34cd-56ef-1234567890ab")}
	out, err := e.CreateTable(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := SSEDescription{Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
	if d := out.TableDescription.SSEDescription; d == nil || *d != want {
		t.Fatalf("CreateTable SSEDescription = %+v", d)
	}
	if d := mustDescribe(t, e, "sse_t").SSEDescription; d == nil || *d != want {
		t.Fatalf("DescribeTable SSEDescription = %+v", d)
	}
	// A specification naming only a key changes the key.
	upd, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("sse_t"), SSESpecification: &SSESpecification{KMSMasterKeyID: sp("abcd")}})
	if err != nil {
		t.Fatal(err)
	}
	if d := upd.TableDescription.SSEDescription; d == nil || d.KMSMasterKeyArn != "arn:aws:kms:us-east-1:000000000000:key/abcd" {
		t.Fatalf("after a key change = %+v", d)
	}
	if _, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("sse_t"), SSESpecification: &SSESpecification{Enabled: bp(false)}}); err != nil {
		t.Fatal(err)
	}
	if d := mustDescribe(t, e, "sse_t").SSEDescription; d != nil {
		t.Fatalf("back to the AWS owned key: %+v", d)
	}
	if d := mustDescribe(t, e, "sse_t"); d.TableStatus != statusActive {
		t.Fatalf("status %s", d.TableStatus)
	}
}
