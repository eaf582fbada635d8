// Command steppe is a terminal dashboard for news and money from Central
// Asia: a scrolling currency ticker above a paginated list of headlines from
// the region's feeds, with an article reader and background refresh.
//
// Everything but the signals lives in internal/cli; ARCHITECTURE.md maps
// the packages.
package main

import (
	"os"

	"github.com/steppe-news/steppe/internal/cli"
)

func main() {
	// SIGINT, SIGTERM and SIGHUP cancel ctx; every command watches it.
	ctx, stop := cli.SignalContext()
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
