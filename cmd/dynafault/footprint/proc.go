package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is a running dynafault process.
type proc struct {
	cmd         *exec.Cmd
	url         string        // http://127.0.0.1:PORT
	firstAnswer time.Duration // from start to the first answered ListTables
	stderr      bytes.Buffer
	done        chan error
}

// startTimeout bounds the wait for a process to answer.
const startTimeout = 30 * time.Second

// startServer starts bin on a loopback port it chooses and returns once a
// ListTables call was answered.
func startServer(ctx context.Context, bin string) (*proc, error) {
	p := &proc{done: make(chan error, 1)}
	p.cmd = exec.CommandContext(ctx, bin, "--addr=127.0.0.1:0", "--log-level=warn", "--ttl-sweep-interval=0")
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	began := time.Now()
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { p.done <- p.cmd.Wait() }()
	if p.url, err = listeningURL(out); err != nil {
		p.kill()
		return nil, fmt.Errorf("%s: %w (stderr: %s)", bin, err, p.stderr.String())
	}
	if err := firstAnswer(ctx, p.url); err != nil {
		p.kill()
		return nil, err
	}
	p.firstAnswer = time.Since(began)
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return p, nil
}

// listeningURL reads the "listening on http://ADDR" line.
func listeningURL(out io.Reader) (string, error) {
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("no listening line: %w", err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		return "", fmt.Errorf("unexpected first line %q", line)
	}
	return url, nil
}

// firstAnswer calls ListTables until it is answered.
func firstAnswer(ctx context.Context, url string) error {
	c := &http.Client{Timeout: startTimeout}
	deadline := time.Now().Add(startTimeout)
	for {
		_, err := call(ctx, c, url, "ListTables", []byte(`{}`))
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer from %s: %w", url, err)
		}
		time.Sleep(time.Millisecond)
	}
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case err := <-p.done:
		p.done <- nil // later stop or kill calls see a finished process
		if err != nil {
			return fmt.Errorf("dynafault exited with %w (stderr: %s)", err, p.stderr.String())
		}
		return nil
	case <-time.After(startTimeout):
		p.kill()
		return errors.New("dynafault did not exit after SIGTERM")
	}
}

// kill ends the process if it still runs.
func (p *proc) kill() { _ = p.cmd.Process.Kill() }

// mem is the memory of a process as /proc reports it.
type mem struct {
	rss, peak int64 // VmRSS, VmHWM in bytes
	err       error
}

// readMem reads VmRSS and VmHWM from /proc/<pid>/status.
func readMem(pid int) mem {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return mem{err: err}
	}
	var m mem
	for line := range strings.Lines(string(b)) {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch name {
		case "VmRSS":
			m.rss = parseKB(value)
		case "VmHWM":
			m.peak = parseKB(value)
		}
	}
	if m.rss == 0 {
		m.err = errors.New("no VmRSS in /proc status")
	}
	return m
}

// parseKB parses "   1234 kB" into bytes.
func parseKB(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "kB")), 10, 64)
	return n * 1024
}

// buildBinary builds ./cmd/dynafault into dir the way the image does.
func buildBinary(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "dynafault")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./cmd/dynafault")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// moduleRoot is the directory of the enclosing go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the dynafault module; pass -bin")
	}
	return filepath.Dir(gomod), nil
}
