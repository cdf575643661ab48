package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The Runtime Interface Emulator (RIE) every AWS Lambda base image runs,
// built from its Go module (pinned by go.mod's tool directive), running
// conformance/lambdahandler, an aws-lambda-go handler: the function runs
// exactly as in production, and answers what the test's recorder tells it.

// riePackage is the RIE's command, as go.mod's tool directive names it.
const riePackage = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

var (
	buildOnce sync.Once //nolint:gochecknoglobals // one build per test binary
	buildDir  string    //nolint:gochecknoglobals
	buildErr  error     //nolint:gochecknoglobals
)

// rieBinaries builds the RIE and the handler once per test run and
// returns their paths. It never skips: a build failure fails the test.
func rieBinaries(t *testing.T) (rie, handler string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skipf("the Runtime Interface Emulator runs on Linux only (GOOS=%s)", runtime.GOOS)
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "dynafault-rie-")
		if buildErr != nil {
			return
		}
		for _, b := range []struct{ out, pkg string }{{"aws-lambda-rie", riePackage}, {"bootstrap", "./lambdahandler"}} {
			cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, b.out), b.pkg)
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatalf("building the Runtime Interface Emulator and the handler: %v", buildErr)
	}
	return filepath.Join(buildDir, "aws-lambda-rie"), filepath.Join(buildDir, "bootstrap")
}

// removeBuilds deletes what rieBinaries built (TestMain calls it).
func removeBuilds() {
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
}

// instruction tells lambdahandler what to do with one event.
type instruction struct {
	Action   string          `json:"action,omitempty"` // ok (default), error, panic, sleep, exit
	SleepMs  int             `json:"sleepMs,omitempty"`
	Message  string          `json:"message,omitempty"`
	Response json.RawMessage `json:"response,omitempty"`
}

// recorder receives every event lambdahandler gets and answers with what
// decide says.
type recorder struct {
	mu     sync.Mutex
	events []json.RawMessage
	decide func(n int, ev ddbEvent, raw []byte) instruction
	srv    *httptest.Server
}

func newRecorder(t *testing.T, decide func(n int, ev ddbEvent, raw []byte) instruction) *recorder {
	t.Helper()
	r := &recorder{decide: decide}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		raw, _ := io.ReadAll(req.Body)
		var ev ddbEvent
		_ = json.Unmarshal(raw, &ev)
		r.mu.Lock()
		r.events = append(r.events, raw)
		n := len(r.events)
		decide := r.decide
		r.mu.Unlock()
		in := instruction{}
		if decide != nil {
			in = decide(n, ev, raw)
		}
		b, _ := json.Marshal(in)
		_, _ = w.Write(b)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) got() []json.RawMessage {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]json.RawMessage(nil), r.events...)
}

// freePort returns a loopback port nobody listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startRIE runs lambdahandler under the RIE with the function timeout,
// reporting to rec, registers it as function name through the admin API
// (PUT /_admin/functions/{name}) and stops it when the test ends.
func (e *lambdaEnv) startRIE(name string, timeout time.Duration, rec *recorder) {
	e.t.Helper()
	t := e.t.(*testing.T)
	rie, handler := rieBinaries(t)
	port, apiPort := freePort(t), freePort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(rie, "--runtime-interface-emulator-address", addr,
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(apiPort), "--log-level", "error", handler)
	cmd.Env = append(os.Environ(),
		"AWS_LAMBDA_FUNCTION_TIMEOUT="+strconv.Itoa(int(timeout/time.Second)),
		"AWS_LAMBDA_FUNCTION_NAME="+name,
		"DYNAFAULT_RECORDER="+rec.srv.URL)
	logs, _ := os.CreateTemp("", "rie-"+name+"-*.log")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the RIE: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			b, _ := os.ReadFile(logs.Name())
			t.Logf("RIE %s log:\n%s", name, b)
		}
		_ = logs.Close()
		_ = os.Remove(logs.Name())
	})
	waitFor(t, "the RIE to listen on "+addr, func() bool {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			_ = c.Close()
		}
		return err == nil
	})
	e.adminDo(http.MethodPut, "functions/"+name, map[string]string{"url": "http://" + addr, "timeout": timeout.String()}, http.StatusOK, nil)
}
