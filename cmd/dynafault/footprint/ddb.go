package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

// authorization is a well-formed SigV4 header; dynafault does not verify
// signatures.
const authorization = "AWS4-HMAC-SHA256 Credential=footprint/20250101/us-east-1/dynamodb/aws4_request, " +
	"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00"

// call sends one DynamoDB JSON 1.0 request and returns the body of a 200
// answer; any other status is an error carrying the body.
func call(ctx context.Context, c *http.Client, url, op string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("X-Amz-Date", "20250101T000000Z")
	req.Header.Set("Authorization", authorization)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d: %s", op, resp.StatusCode, out)
	}
	return out, nil
}
