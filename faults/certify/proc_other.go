//go:build !unix

package certify

import (
	"os"
	"os/exec"
)

// setProcessGroup does nothing where process groups are not available.
func setProcessGroup(*exec.Cmd) {}

// terminate asks cmd to stop (os.Interrupt where supported, else a kill).
func terminate(cmd *exec.Cmd) {
	if cmd.Process != nil && cmd.Process.Signal(os.Interrupt) != nil {
		_ = cmd.Process.Kill()
	}
}

// kill kills cmd.
func kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
