package mapping

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultFunctionTimeout is a function's timeout unless registered with
// one: Lambda's default, 3 seconds.
const DefaultFunctionTimeout = 3 * time.Second

// MaxFunctionTimeout is Lambda's largest function timeout, 15 minutes.
const MaxFunctionTimeout = 15 * time.Minute

// Handler is an in-process function: it takes the event JSON and returns
// the response JSON; an error is a function error (errorType is its Go
// type name, as aws-lambda-go reports it). It runs with a context whose
// deadline is the function timeout.
type Handler func(ctx context.Context, event []byte) ([]byte, error)

// Function is a name bound to an invoke target: exactly one of URL (the
// Runtime Interface Emulator or a Lambda Invoke API endpoint) and Handler.
type Function struct {
	Name    string
	URL     string
	Handler Handler
	// Timeout is enforced on every invocation; 0 means
	// DefaultFunctionTimeout.
	Timeout time.Duration
	// Concurrency is how many invocations may run at once; 0 means 1
	// (the Runtime Interface Emulator fails on concurrent requests).
	Concurrency int
}

// FunctionInfo describes a registered function.
type FunctionInfo struct {
	Name        string `json:"name"`
	ARN         string `json:"arn"`
	URL         string `json:"url,omitempty"`
	InProcess   bool   `json:"inProcess,omitempty"`
	Timeout     string `json:"timeout"`
	Concurrency int    `json:"concurrency"`
}

// nameRE is a bare function name: 1-64 of letters, digits, - and _.
var nameRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// qualifierRE is a version or alias.
var qualifierRE = regexp.MustCompile(`^(\$LATEST|[a-zA-Z0-9_-]{1,128})$`)

// ErrFunction is wrapped by every error of RegisterFunction.
var ErrFunction = errors.New("invalid function")

// function is a registered function with its invocation slots.
type function struct {
	Function
	arn   string
	slots chan struct{}
}

// functions is the function registry. Safe for concurrent use.
type functions struct {
	prefix string // arn:aws:lambda:<region>:<account>:function:
	mu     sync.RWMutex
	byName map[string]*function
}

func newFunctions(region, account string) *functions {
	return &functions{prefix: "arn:aws:lambda:" + region + ":" + account + ":function:", byName: map[string]*function{}}
}

// check validates f and fills its defaults.
func checkFunction(f *Function) error {
	if !nameRE.MatchString(f.Name) {
		return fmt.Errorf("%w: name %q must be 1 to 64 letters, digits, hyphens or underscores", ErrFunction, f.Name)
	}
	if (f.URL == "") == (f.Handler == nil) {
		return fmt.Errorf("%w %s: give exactly one of a URL and a handler", ErrFunction, f.Name)
	}
	if f.URL != "" {
		u, err := url.Parse(f.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%w %s: url %q must be an absolute http or https URL", ErrFunction, f.Name, f.URL)
		}
	}
	if f.Timeout == 0 {
		f.Timeout = DefaultFunctionTimeout
	}
	if f.Timeout < time.Millisecond || f.Timeout > MaxFunctionTimeout {
		return fmt.Errorf("%w %s: timeout %s must be from 1ms to 15m", ErrFunction, f.Name, f.Timeout)
	}
	if f.Concurrency == 0 {
		f.Concurrency = 1
	}
	if f.Concurrency < 1 || f.Concurrency > 1000 {
		return fmt.Errorf("%w %s: concurrency %d must be from 1 to 1000", ErrFunction, f.Name, f.Concurrency)
	}
	return nil
}

// put registers f, replacing a function of the same name.
func (fs *functions) put(f Function) (FunctionInfo, error) {
	if err := checkFunction(&f); err != nil {
		return FunctionInfo{}, err
	}
	fn := &function{Function: f, arn: fs.prefix + f.Name, slots: make(chan struct{}, f.Concurrency)}
	fs.mu.Lock()
	fs.byName[f.Name] = fn
	fs.mu.Unlock()
	return fn.info(), nil
}

func (f *function) info() FunctionInfo {
	return FunctionInfo{Name: f.Name, ARN: f.arn, URL: f.URL, InProcess: f.Handler != nil,
		Timeout: f.Timeout.String(), Concurrency: f.Concurrency}
}

func (fs *functions) get(name string) *function {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	return fs.byName[name]
}

func (fs *functions) remove(name string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	_, ok := fs.byName[name]
	delete(fs.byName, name)
	return ok
}

func (fs *functions) list() []FunctionInfo {
	fs.mu.RLock()
	out := make([]FunctionInfo, 0, len(fs.byName))
	for _, f := range fs.byName {
		out = append(out, f.info())
	}
	fs.mu.RUnlock()
	slices.SortFunc(out, func(a, b FunctionInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// functionRef is a parsed FunctionName.
type functionRef struct {
	name, qualifier string
}

// parseFunctionName reads the forms Lambda accepts: NAME, NAME:QUALIFIER,
// ACCOUNT:function:NAME[:QUALIFIER] and
// arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]. ok is
// false when the text has none of these shapes or names another region or
// account.
func (fs *functions) parseFunctionName(s string) (functionRef, bool) {
	parts := strings.Split(s, ":")
	var ref functionRef
	own := strings.Split(strings.TrimSuffix(fs.prefix, ":"), ":") // arn aws lambda region account function
	switch {
	case len(parts) <= 2:
		ref.name = parts[0]
		if len(parts) == 2 {
			ref.qualifier = parts[1]
		}
	case parts[0] == "arn" && (len(parts) == 7 || len(parts) == 8):
		if parts[2] != "lambda" || parts[3] != own[3] || parts[4] != own[4] || parts[5] != "function" {
			return ref, false
		}
		ref.name = parts[6]
		if len(parts) == 8 {
			ref.qualifier = parts[7]
		}
	case len(parts) == 3 || len(parts) == 4:
		if parts[0] != own[4] || parts[1] != "function" {
			return ref, false
		}
		ref.name = parts[2]
		if len(parts) == 4 {
			ref.qualifier = parts[3]
		}
	default:
		return ref, false
	}
	if !nameRE.MatchString(ref.name) {
		return ref, false
	}
	if len(parts) == 2 || len(parts) == 4 || len(parts) == 8 {
		if !qualifierRE.MatchString(ref.qualifier) {
			return ref, false
		}
	}
	return ref, true
}

// resolve finds the registered function FunctionName names and returns its
// ARN as Lambda echoes it: qualified when the input was. Unknown ->
// InvalidParameterValueException "Function does not exist".
func (fs *functions) resolve(name string) (*function, string, error) {
	ref, ok := fs.parseFunctionName(name)
	if !ok {
		return nil, "", &Error{Code: CodeInvalidValue, Message: msgNoFunction}
	}
	f := fs.get(ref.name)
	if f == nil {
		return nil, "", &Error{Code: CodeInvalidValue, Message: msgNoFunction}
	}
	arn := f.arn
	if ref.qualifier != "" {
		arn += ":" + ref.qualifier
	}
	return f, arn, nil
}
