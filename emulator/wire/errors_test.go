package wire

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/engine"
)

// engineCodes returns every Code constant declared in engine/errors.go, so
// a code added there without a wire mapping fails this test.
func engineCodes(t *testing.T) map[string]engine.Code {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../engine/errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]engine.Code{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			for i, n := range vs.Names {
				lit := vs.Values[i].(*ast.BasicLit)
				var v string
				if err := json.Unmarshal([]byte(lit.Value), &v); err != nil {
					t.Fatal(err)
				}
				codes[n.Name] = engine.Code(v)
			}
		}
	}
	if len(codes) < 20 {
		t.Fatalf("found only %d codes in engine/errors.go", len(codes))
	}
	return codes
}

func TestEveryEngineCodeHasAnEnvelope(t *testing.T) {
	want := map[engine.Code]struct {
		ns     string
		status int
	}{
		engine.Validation:                 {nsValidate, 400},
		engine.Serialization:              {nsService, 400},
		engine.UnknownOperation:           {nsService, 400},
		engine.MissingAuthenticationToken: {nsService, 400},
		engine.UnrecognizedClient:         {nsService, 400},
		engine.AccessDenied:               {nsService, 400},
		engine.Throttling:                 {nsAvailability, 400},
		engine.InternalServerError:        {nsDynamoDB, 500},
		engine.ServiceUnavailable:         {nsDynamoDB, 503},
	}
	for name, code := range engineCodes(t) {
		t.Run(name, func(t *testing.T) {
			if _, ok := errorKinds[code]; !ok {
				t.Fatalf("%s has no entry in errorKinds", code)
			}
			w, ok := want[code]
			if !ok {
				w.ns, w.status = nsDynamoDB, http.StatusBadRequest
			}
			h, _ := newTestHandler(t)
			addTestOps(h, func() error { return engine.NewError(code, "text of "+name) })
			msg := "text of " + name
			if code == engine.InternalServerError {
				msg = "Internal server error"
			}
			wantError(t, serve(t, h, signedRequest("DynamoDB_20120810.Fail", "{}")), w.status, w.ns+string(code), msg)
		})
	}
}

func TestUnmappedCodeIsADynamoDBServiceError(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, func() error { return engine.NewError("FutureServiceException", "later") })
	wantError(t, serve(t, h, signedRequest("DynamoDB_20120810.Fail", "{}")), 400,
		"com.amazonaws.dynamodb.v20120810#FutureServiceException", "later")
}

func TestTransactionCanceledEnvelope(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, func() error {
		return &engine.Error{
			Code:    engine.TransactionCanceled,
			Message: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
			CancellationReasons: []engine.CancellationReason{
				{Code: "None"}, {Code: "ConditionalCheckFailed", Message: "The conditional request failed"},
			},
		}
	})
	w := serve(t, h, signedRequest("DynamoDB_20120810.Fail", "{}"))
	want := `{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",` +
		`"Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",` +
		`"CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}`
	if w.Code != 400 || w.Body.String() != want {
		t.Fatalf("got %d %s\nwant %s", w.Code, w.Body, want)
	}
}

func TestConditionalCheckFailedCarriesItem(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, func() error {
		return &engine.Error{Code: engine.ConditionalCheckFailed, Message: "The conditional request failed",
			Item: attr.Item{"k": attr.Str("v")}}
	})
	w := serve(t, h, signedRequest("DynamoDB_20120810.Fail", "{}"))
	want := `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",` +
		`"message":"The conditional request failed","Item":{"k":{"S":"v"}}}`
	if w.Code != 400 || w.Body.String() != want {
		t.Fatalf("got %d %s\nwant %s", w.Code, w.Body, want)
	}
}

func TestAttrErrorsKeepTheirCode(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, func() error { return &attr.ValidationError{Msg: "Number overflow."} })
	wantError(t, serve(t, h, signedRequest("DynamoDB_20120810.Fail", "{}")), 400,
		"com.amazon.coral.validate#ValidationException", "Number overflow.")
	h, _ = newTestHandler(t)
	addTestOps(h, func() error { return &attr.SerializationError{Msg: "bad base64"} })
	wantError(t, serve(t, h, signedRequest("DynamoDB_20120810.Fail", "{}")), 400,
		"com.amazon.coral.service#SerializationException", "bad base64")
}
