package cli

import (
	"os/exec"
	"runtime"
)

// openSystemBrowser opens url in the user's browser. On failure the flow
// keeps waiting: the URL was already printed for copying.
func openSystemBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		cmd = exec.Command("open", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return errNoBrowser
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
