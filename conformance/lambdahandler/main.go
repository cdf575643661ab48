// Command lambdahandler is a DynamoDB stream handler built with
// aws-lambda-go, run by the conformance suite under the AWS Lambda
// Runtime Interface Emulator exactly as a function runs in a Lambda base
// image. It decodes each event into events.DynamoDBEvent (so a wrong
// event shape fails it the way it fails a real handler), then asks the
// test what to do: it POSTs the event to $DYNAFAULT_RECORDER and follows
// the answer {"action": "ok"|"error"|"panic"|"sleep"|"exit", "sleepMs": n,
// "response": <JSON to return>}. Without $DYNAFAULT_RECORDER it succeeds
// with an empty partial batch response.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// instruction is the recorder's answer.
type instruction struct {
	Action   string          `json:"action"`
	SleepMs  int             `json:"sleepMs"`
	Message  string          `json:"message"`
	Response json.RawMessage `json:"response"`
}

func handle(ctx context.Context, raw json.RawMessage) (json.RawMessage, error) {
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, err
	}
	url := os.Getenv("DYNAFAULT_RECORDER")
	if url == "" {
		return json.RawMessage(`{"batchItemFailures":[]}`), nil
	}
	in, err := ask(ctx, url, raw)
	if err != nil {
		return nil, err
	}
	switch in.Action {
	case "error":
		return nil, errors.New(in.Message)
	case "panic":
		panic(in.Message)
	case "exit":
		os.Exit(3)
	case "sleep":
		select {
		case <-time.After(time.Duration(in.SleepMs) * time.Millisecond):
		case <-ctx.Done():
			time.Sleep(time.Duration(in.SleepMs) * time.Millisecond)
		}
	}
	if len(in.Response) == 0 {
		return json.RawMessage(`null`), nil
	}
	return in.Response, nil
}

// ask posts the event to the recorder and returns its instruction.
func ask(ctx context.Context, url string, event []byte) (instruction, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(event))
	if err != nil {
		return instruction{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return instruction{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return instruction{}, fmt.Errorf("recorder answered %d %s (%v)", resp.StatusCode, b, err)
	}
	var in instruction
	if err := json.Unmarshal(b, &in); err != nil {
		return instruction{}, err
	}
	return in, nil
}

func main() { lambda.Start(handle) }
