// Package cli is Shelfsync's command line: the same engine as the window, for
// cron, CI and scripts. It never imports Fyne (a test enforces it).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"sort"
	"strings"

	"github.com/shelfsync/shelfsync/oauth"
)

// Exit codes. ExitAttention tells cron that a store needs a person to look.
const (
	ExitOK        = 0
	ExitError     = 1
	ExitUsage     = 2
	ExitAttention = 3
)

// Env is what a command may touch of the outside world, so tests can run the
// command line in-process.
type Env struct {
	Version   string
	Stdin     io.Reader // answers to questions; nil means never confirm
	Stdout    io.Writer
	Stderr    io.Writer
	ConfigDir string              // overrides the user config folder (tests)
	Getenv    func(string) string // defaults to os.Getenv
	Secrets   oauth.SecretStore   // overrides the keychain (tests); nil: the system keychain
	// OpenBrowser shows the OAuth sign-in page (tests); nil: the system browser.
	OpenBrowser func(url string) error

	rawStdout io.Writer // Stdout before terminalSafe, for byte-exact output (export)
}

func (e Env) getenv(k string) string {
	if e.Getenv != nil {
		return e.Getenv(k)
	}
	return os.Getenv(k)
}

// command is one subcommand. run gets the arguments after the command name.
type command struct {
	name    string
	summary string
	usage   string // one line after "shelfsync "
	flags   func(fs *flag.FlagSet) func(ctx context.Context, env Env, args []string) error
}

// errUsage marks an error the user fixes by changing the command line.
var errUsage = errors.New("usage")

// attentionError makes Main exit with ExitAttention after printing nothing more.
type attentionError struct{ msg string }

func (e attentionError) Error() string { return e.msg }

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// Main runs the command line and returns the process exit code.
func Main(args []string, env Env) int {
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	env.rawStdout = env.Stdout
	env.Stdout, env.Stderr = &terminalSafe{w: env.Stdout}, &terminalSafe{w: env.Stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return Main([]string{args[1], "--help"}, env)
		}
		printHelp(env.Stdout, env.Version)
		return ExitOK
	}
	if args[0] == "--version" || args[0] == "-v" {
		args[0] = "version"
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "shelfsync: unknown command %q\nRun 'shelfsync help' for the list of commands.\n", args[0])
		return ExitUsage
	}
	fs := flag.NewFlagSet("shelfsync "+c.name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	run := c.flags(fs)
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "%s\n\nUsage: shelfsync %s\n", c.summary, c.usage)
		if hasFlags(fs) {
			fmt.Fprintln(w, "\nOptions:")
			printFlags(w, fs)
		}
	}
	// The flag package calls Usage itself on -h and on a bad flag; printing
	// here instead shows the help once, on stdout for --help.
	fs.Usage = func() {}
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(env.Stdout)
			return ExitOK
		}
		usage(env.Stderr)
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err = run(ctx, env, rest)
	var attention attentionError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &attention):
		if attention.msg != "" {
			fmt.Fprintln(env.Stderr, attention.msg)
		}
		return ExitAttention
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.Stderr, "shelfsync %s: %v\n", c.name, err)
		fmt.Fprintf(env.Stderr, "Usage: shelfsync %s (see 'shelfsync %s --help')\n", c.usage, c.name)
		return ExitUsage
	default:
		fmt.Fprintf(env.Stderr, "shelfsync %s: %v\n", c.name, err)
		return ExitError
	}
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

func printHelp(w io.Writer, version string) {
	fmt.Fprintf(w, "Shelfsync %s keeps your Shopify stores in step with your spreadsheets.\n\n", version)
	fmt.Fprintln(w, "Usage: shelfsync [command] [options]   (no command opens the window)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'shelfsync COMMAND --help' for a command's options.")
	fmt.Fprintln(w, "\nExit codes:")
	fmt.Fprintln(w, "  0  done")
	fmt.Fprintln(w, "  1  an error stopped the command (the message says what to do)")
	fmt.Fprintln(w, "  2  usage: an unknown command or option, or one missing")
	fmt.Fprintln(w, "  3  needs attention: a store needs reconnecting, or a run finished with row errors or was held")
}

// printFlags lists the options as they are typed ("--dry-run",
// "--location string"), with their defaults when they have one.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintln(w, line)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %q)", f.DefValue)
		}
		fmt.Fprintf(w, "      %s\n", usage)
	})
}

var tomlVersion = regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`)

// VersionFromTOML returns override when set (a release build's -X flag), else
// the Version line of FyneApp.toml.
func VersionFromTOML(toml, override string) string {
	if v := strings.TrimSpace(override); v != "" {
		return v
	}
	if m := tomlVersion.FindStringSubmatch(toml); m != nil {
		return m[1]
	}
	return "dev"
}

func init() {
	register(&command{
		name:    "version",
		summary: "Print Shelfsync's version",
		usage:   "version",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			return func(_ context.Context, env Env, _ []string) error {
				fmt.Fprintf(env.Stdout, "shelfsync %s\n", env.Version)
				return nil
			}
		},
	})
}

// parseInterspersed parses the flags among the words after the command, so
// that "alerts set --store S" works: the flag package stops at the first
// word that is not a flag. It returns the words.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) > 0 {
			words = append(words, args[0])
			args = args[1:]
		}
	}
	return words, nil
}
