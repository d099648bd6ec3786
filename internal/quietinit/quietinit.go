// Package quietinit keeps the command line's output clean of what Fyne's
// packages log while they are initialised.
//
// Fyne's lang package reads the user's locale in its init function and logs
// "Fyne error: Error parsing user locale C" through the standard logger when
// LANG is C.UTF-8 (the default of many servers and containers), before main
// runs. A cron job must get only Shelfsync's own output, so when the program
// is started with a command, this package sends the standard logger to
// io.Discard during initialisation; main calls Restore before doing anything.
//
// It works because Go initialises packages in a fixed order (the Go spec,
// "Package initialization", since Go 1.21): repeatedly the first package,
// by import path, whose imports are all initialised. This package imports
// only io, log and os, which are ready long before Fyne's lang package is:
// lang waits for packages such as golang.org/x/text/language, whose paths
// sort after this one, so this init runs first (GODEBUG=inittrace=1 shows
// the order). TestCommandLineIsQuiet in package main checks the built binary.
package quietinit

import (
	"io"
	"log"
	"os"
)

func init() {
	if len(os.Args) > 1 {
		log.SetOutput(io.Discard)
	}
}

// Restore sends the standard logger to standard error again.
func Restore() { log.SetOutput(os.Stderr) }
