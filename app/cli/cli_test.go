package cli

import (
	"bytes"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, Env{Version: "1.2.3", Stdout: &out, Stderr: &errb, ConfigDir: t.TempDir()})
	return code, out.String(), errb.String()
}

func TestHelpListsEveryCommand(t *testing.T) {
	code, out, _ := run(t, "help")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for name := range commands {
		if !strings.Contains(out, "  "+name) {
			t.Errorf("help does not list %q:\n%s", name, out)
		}
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for name, c := range commands {
		code, out, errOut := run(t, name, "--help")
		if code != ExitOK {
			t.Errorf("%s --help: exit %d (%s)", name, code, errOut)
		}
		if !strings.Contains(out, "Usage: shelfsync "+c.usage) {
			t.Errorf("%s --help does not show its usage:\n%s", name, out)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errOut := run(t, "frobnicate")
	if code != ExitUsage || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestVersion(t *testing.T) {
	if _, out, _ := run(t, "version"); out != "shelfsync 1.2.3\n" {
		t.Fatalf("version printed %q", out)
	}
	if v := VersionFromTOML("[Details]\n  Version = \"0.4.0\"\n", ""); v != "0.4.0" {
		t.Fatalf("VersionFromTOML = %q", v)
	}
	if v := VersionFromTOML("Version = \"0.4.0\"", "0.5.0-rc1"); v != "0.5.0-rc1" {
		t.Fatalf("override ignored: %q", v)
	}
}

// TestCommandHelpOnceAsTyped: --help prints the command's help once, on
// stdout, with options as they are typed; help documents the exit codes.
func TestCommandHelpOnceAsTyped(t *testing.T) {
	code, out, errOut := run(t, "sync", "--help")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Count(out, "Usage: shelfsync sync") != 1 || !strings.Contains(out, "  --dry-run\n") ||
		!strings.Contains(out, "  --location string\n") || strings.Contains(out, "  -dry-run") {
		t.Fatalf("help:\n%s", out)
	}
	_, out, _ = run(t, "help")
	for _, want := range []string{"Exit codes:", "0  done", "2  usage", "3  needs attention"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if countOf(1, "error") != "1 error" || countOf(2, "error") != "2 errors" {
		t.Fatal("countOf")
	}
}
