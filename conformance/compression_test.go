package conformance

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Compressed requests and responses through aws-sdk-go-v2: a request
// body sent gzip-compressed (Content-Encoding: gzip, as SDKs with request
// compression send it) and responses asked for compressed
// (EnableAcceptEncodingGzip), whose x-amz-crc32 the SDK checks on the
// compressed bytes before inflating them.

// gzipRequests is a Finalize middleware that compresses the request body.
type gzipRequests struct{}

func (gzipRequests) ID() string { return "conformance:gzipRequests" }

func (gzipRequests) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("unexpected request %T", in.Request)
	}
	plain, err := io.ReadAll(req.GetStream())
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write(plain)
	_ = w.Close()
	if req, err = req.SetStream(bytes.NewReader(buf.Bytes())); err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	req.ContentLength = int64(buf.Len())
	req.Header.Set("Content-Encoding", "gzip")
	in.Request = req
	return next.HandleFinalize(ctx, in)
}

func compressingClient(t testing.TB, requests bool) *dynamodb.Client {
	t.Helper()
	return dynamodb.NewFromConfig(awsConfig(), func(o *dynamodb.Options) {
		o.EnableAcceptEncodingGzip = true
		if requests {
			o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
				return s.Finalize.Insert(gzipRequests{}, "Signing", middleware.Before)
			})
		}
	})
}

func TestProtocolCompressedResponses(t *testing.T) {
	t.Parallel()
	testCompressed(t, compressingClient(t, false))
}

func TestProtocolCompressedRequests(t *testing.T) {
	t.Parallel()
	if external() {
		t.Skip("DynamoDB documents no request compression; checked in-process only")
	}
	testCompressed(t, compressingClient(t, true))
}

func testCompressed(t *testing.T, c *dynamodb.Client) {
	table := hashTable(t)
	item := attrs{"pk": avS("k"), "big": avS(string(bytes.Repeat([]byte("compressible "), 10000)))}
	if _, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
	out, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("k")}})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	wantAttrs(t, "item read back", out.Item, item)
	_, err = c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: attrs{"nope": avS("k")}})
	wantAPIError(t, err, "ValidationException", "The provided key element does not match the schema")
}
