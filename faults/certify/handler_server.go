package certify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dynafault/dynafault/emulator/mapping/handlerrun"
)

// HandlerFunc is an in-process Lambda handler: it takes the event JSON
// Lambda's poller sends and returns the response JSON (a partial batch
// response, or null); an error is a function error. Its context ends at
// the function's timeout. dynafaulttest.DynamoDBHandler and
// dynafaulttest.DynamoDBErrorHandler adapt an aws-lambda-go handler to it.
type HandlerFunc = func(ctx context.Context, event []byte) ([]byte, error)

// maxInvokePayload is the largest event and response of a synchronous
// invocation: 6 MiB + 100 bytes, as Lambda counts it.
const maxInvokePayload = 6<<20 + 100

// invokePrefix and invokeSuffix frame the Lambda Invoke API's path:
// /2015-03-31/functions/{name}/invocations.
const (
	invokePrefix = "/2015-03-31/functions/"
	invokeSuffix = "/invocations"
)

// handlerServer serves an in-process handler over HTTP in the protocol of
// the Lambda Invoke API, so that a dynafault server, in this process or
// not, invokes it as a registered function: a POST of the event to
// /2015-03-31/functions/{name}/invocations answers 200 with the response,
// or 200 with X-Amz-Function-Error: Unhandled and Lambda's error document
// for an error, a panic or a timeout. The handler in use is swapped for
// each run of a scenario; with none, invocations fail.
type handlerServer struct {
	srv     *http.Server
	ln      net.Listener
	timeout time.Duration
	current atomic.Pointer[HandlerFunc]
}

// startHandlerServer listens on addr (host:port) and serves invocations
// with a function timeout.
func startHandlerServer(addr string, timeout time.Duration) (*handlerServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("certify: serving the in-process handler: %w", err)
	}
	s := &handlerServer{ln: ln, timeout: timeout}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// url is the Invoke API URL of the function name on this server; a
// listener on every interface is reached on the loopback one.
func (s *handlerServer) url(name string) string {
	addr := s.ln.Addr().String()
	if ta, ok := s.ln.Addr().(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
		addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(ta.Port))
	}
	return "http://" + addr + invokePrefix + name + invokeSuffix
}

// use makes h the handler of the invocations from now on (nil: none).
func (s *handlerServer) use(h HandlerFunc) {
	if h == nil {
		s.current.Store(nil)
		return
	}
	s.current.Store(&h)
}

// close stops serving; invocations under way are cut off.
func (s *handlerServer) close() { _ = s.srv.Close() }

// ServeHTTP answers one invocation.
func (s *handlerServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, invokePrefix) || !strings.HasSuffix(r.URL.Path, invokeSuffix) {
		serviceError(w, http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+r.URL.Path)
		return
	}
	event, err := io.ReadAll(io.LimitReader(r.Body, maxInvokePayload+1))
	switch {
	case err != nil:
		serviceError(w, http.StatusBadRequest, "InvalidRequestContentException", err.Error())
		return
	case len(event) > maxInvokePayload:
		serviceError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
			fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", maxInvokePayload))
		return
	}
	requestID := newRequestID()
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Header().Set("X-Amz-Executed-Version", "$LATEST")
	h := s.current.Load()
	if h == nil {
		functionError(w, "Certify.NoScenario", "no scenario of the battery is running: the invocation is refused")
		return
	}
	body, errType, errMsg := s.call(r.Context(), *h, event, requestID)
	switch {
	case r.Context().Err() != nil:
		return // the caller went away
	case errType != "":
		functionError(w, errType, errMsg)
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}
}

// call runs h within the function timeout and returns its response, or
// the error type and message of its failure (handlerrun.Run).
func (s *handlerServer) call(ctx context.Context, h HandlerFunc, event []byte, requestID string) (body []byte, errType, errMsg string) {
	body, errType, errMsg, err := handlerrun.Run(ctx, s.timeout, h, event)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return nil, "Sandbox.Timedout", fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", requestID, s.timeout.Seconds())
	case err != nil:
		return nil, "Canceled", err.Error()
	case errType != "":
		return nil, errType, errMsg
	case len(body) == 0:
		return []byte("null"), "", ""
	}
	return body, "", ""
}

// functionError answers a failed invocation as the Invoke API does.
func functionError(w http.ResponseWriter, errType, msg string) {
	body, _ := json.Marshal(map[string]string{"errorMessage": msg, "errorType": errType})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amz-Function-Error", "Unhandled")
	_, _ = w.Write(body)
}

// serviceError answers an invocation that never reached the function.
func serviceError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(map[string]string{"Type": "User", "message": msg})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", code)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// newRequestID returns a random version 4 UUID.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
