package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// asMain is the environment variable under which the test binary runs
// main() instead of the tests, so a test can start dynafault as a process
// of its own and signal it.
const asMain = "DYNAFAULT_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serverProcess is dynafault started as a process by startProcess.
type serverProcess struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

// startProcess runs dynafault with args as a process and waits until it
// listens.
func startProcess(t *testing.T, args ...string) *serverProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asMain+"=1", "DYNAFAULT_LOG_LEVEL=warn")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProcess{cmd: cmd, done: make(chan error, 1)}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
			p.url = u
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
		p.done <- cmd.Wait()
	}()
	if p.url == "" {
		t.Fatal("the server never said where it listens")
	}
	return p
}

// exitCode waits up to 20 s for the process to end and returns its exit
// code.
func (p *serverProcess) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		var ee *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &ee):
			return ee.ExitCode()
		default:
			t.Fatalf("wait: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the process did not exit within 20 s")
	}
	return -1
}

// TestSIGTERMWithAStuckClientExitsZero: the process, sent SIGTERM while a
// request is held for an hour by a latency fault, cuts it after the grace
// period and exits 0.
func TestSIGTERMWithAStuckClientExitsZero(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	p := startProcess(t, "--addr", "127.0.0.1:0", "--shutdown-grace", "200ms")
	answered := inFlight(t, p.url, "PT1H")
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.exitCode(t); code != 0 {
		t.Errorf("exit code %d after SIGTERM with a stuck client, want 0", code)
	}
	if code := <-answered; code != 0 {
		t.Errorf("the stuck request got status %d, want its connection closed", code)
	}
}

// TestSecondSIGTERMExitsAtOnce: with a long grace period and a stuck
// request, a second SIGTERM ends the process at once with 128 + 15.
func TestSecondSIGTERMExitsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	p := startProcess(t, "--addr", "127.0.0.1:0", "--shutdown-grace", "1h")
	inFlight(t, p.url, "PT1H")
	for range 2 {
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code := p.exitCode(t); code != 143 {
		t.Errorf("exit code %d after a second SIGTERM, want 143", code)
	}
}
