package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandLineIsQuiet builds the real binary and runs commands under the
// locales servers and containers use: the output is Shelfsync's own, with
// no Fyne or locale noise, and the exit codes are the documented ones.
// Before internal/quietinit, LANG=C.UTF-8 made every command print
// "Fyne error: Error parsing user locale C".
func TestCommandLineIsQuiet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "shelfsync")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := t.TempDir()
	cases := []struct {
		args     []string
		code     int
		stdout   string // a prefix of standard output
		stderrIs string // all of standard error
	}{
		{[]string{"version"}, 0, "shelfsync ", ""},
		{[]string{"help"}, 0, "Shelfsync ", ""},
		{[]string{"stores"}, 0, "", ""},
		{[]string{"nope"}, 2, "", "shelfsync: unknown command \"nope\"\nRun 'shelfsync help' for the list of commands.\n"},
	}
	for _, locale := range []string{"C.UTF-8", "C", "POSIX", "en_US.UTF-8", ""} {
		for _, c := range cases {
			cmd := exec.Command(bin, c.args...)
			cmd.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "PATH=" + os.Getenv("PATH"),
				"LANG=" + locale}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var exitErr *exec.ExitError
			if errors.As(err, &exitErr) {
				code = exitErr.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.code || !strings.HasPrefix(stdout.String(), c.stdout) || stderr.String() != c.stderrIs {
				t.Errorf("LANG=%s shelfsync %s: exit %d (want %d)\nstdout: %q\nstderr: %q", locale, strings.Join(c.args, " "),
					code, c.code, stdout.String(), stderr.String())
			}
		}
	}
}
