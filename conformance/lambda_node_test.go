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
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/dynafault/dynafault/emulator"
)

// A second real handler in another language: Powertools for AWS Lambda
// (TypeScript)'s batch processor (conformance/lambdanode, pinned by its
// package-lock.json) under the Node.js runtime interface client and the
// Runtime Interface Emulator. npm ci installs it once into
// conformance/lambdanode/node_modules (the aws-lambda-ric package ships
// its native client prebuilt; its build scripts are not needed).

var (
	nodeOnce sync.Once //nolint:gochecknoglobals // one npm ci per test binary
	nodeErr  error     //nolint:gochecknoglobals
)

// nodeHandlerDir installs the Node handler's packages (npm ci, when
// node_modules is missing or older than the lock) and returns its folder.
func nodeHandlerDir(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the Powertools handler needs %s on PATH (not found: %v)", tool, err)
		}
	}
	dir, err := filepath.Abs("lambdanode")
	if err != nil {
		t.Fatal(err)
	}
	nodeOnce.Do(func() {
		lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
		if err != nil {
			nodeErr = err
			return
		}
		if st, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err == nil && st.ModTime().After(lock.ModTime()) {
			return
		}
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			nodeErr = fmt.Errorf("npm ci in %s: %v\n%s", dir, err, out)
		}
	})
	if nodeErr != nil {
		t.Fatalf("installing the Powertools handler: %v", nodeErr)
	}
	return dir
}

// startNodeRIE runs the Powertools handler under the Node.js runtime
// interface client and the RIE, posting every record it handles to
// recorder, and registers it as function name.
func (e *lambdaEnv) startNodeRIE(name, recorder string) {
	e.t.Helper()
	t := e.t.(*testing.T)
	dir := nodeHandlerDir(t)
	rie, _ := rieBinaries(t)
	port, apiPort := freePort(t), freePort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(rie, "--runtime-interface-emulator-address", addr,
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(apiPort), "--log-level", "error",
		filepath.Join(dir, "node_modules", ".bin", "aws-lambda-ric"), "index.handler")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "AWS_LAMBDA_FUNCTION_TIMEOUT=10", "AWS_LAMBDA_FUNCTION_NAME="+name,
		"LAMBDA_TASK_ROOT="+dir, "DYNAFAULT_RECORDER="+recorder, "POWERTOOLS_LOG_LEVEL=ERROR")
	logs, _ := os.CreateTemp("", "rie-node-*.log")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the RIE: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			b, _ := os.ReadFile(logs.Name())
			t.Logf("RIE (node) log:\n%s", b)
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
	e.adminDo(http.MethodPut, "functions/"+name, map[string]string{"url": "http://" + addr, "timeout": "10s"}, http.StatusOK, nil)
}

func TestPowertoolsBatchProcessorUnderNodeRIC(t *testing.T) {
	t.Parallel()
	e := newLambdaEnv(t, emulator.Options{})
	var mu sync.Mutex
	var handled []string
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var record ddbRecord
		_ = json.Unmarshal(b, &record)
		mu.Lock()
		handled = append(handled, record.pk())
		mu.Unlock()
	}))
	t.Cleanup(rec.Close)
	e.startNodeRIE("powertools", rec.URL)
	table, arn := e.streamTable()
	e.adminDo(http.MethodPost, "streams/"+table+"/shards/"+e.openShard(arn)+"/pause", nil, http.StatusOK, nil)
	e.putPK(table, "a", 1)
	e.put(table, attrs{"pk": &types.AttributeValueMemberS{Value: "b"}, "fail": &types.AttributeValueMemberS{Value: "always"}})
	e.putPK(table, "c", 3)
	in := minimal("powertools", arn)
	in.MaximumRetryAttempts = aws.Int32(1)
	in.FunctionResponseTypes = []ltypes.FunctionResponseType{ltypes.FunctionResponseTypeReportBatchItemFailures}
	id := aws.ToString(e.createMapping(in).UUID)
	e.adminDo(http.MethodPost, "streams/"+table+"/shards/"+e.openShard(arn)+"/resume", nil, http.StatusOK, nil)
	waitFor(t, "the failure record", func() bool { return len(e.failures(id)) == 1 })
	mu.Lock()
	got := slices.Clone(handled)
	mu.Unlock()
	// The batch, then (b reported) b and every later record, then the
	// retries are exhausted and b and c go to the failure record. (The
	// batch processor handles a batch's records concurrently: compare as
	// a multiset.)
	slices.Sort(got)
	if want := []string{"a", "b", "b", "c", "c"}; !slices.Equal(got, want) {
		t.Fatalf("handled %v, want %v", got, want)
	}
	f := e.failures(id)[0]
	info := f["DDBStreamBatchInfo"].(map[string]any)
	if info["batchSize"] != float64(2) || f["requestContext"].(map[string]any)["approximateInvokeCount"] != float64(2) {
		t.Fatalf("failure record = %v", f)
	}
	if fe, ok := f["responseContext"].(map[string]any)["functionError"]; !ok || fe != nil {
		t.Fatalf("a failure reported in the response has functionError %v, want null", fe)
	}
	if s := e.status(id); s.Shards[0].Delivered != 1 || s.Shards[0].Discarded != 2 {
		t.Fatalf("shard status %+v", s.Shards[0])
	}
}
