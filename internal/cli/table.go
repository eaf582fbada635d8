package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/steppe-news/steppe/internal/suggest"
)

// A command is one line of the command table: everything the usage text,
// `steppe help COMMAND`, shell completion and the README check know of it.
// Adding a command is adding a line here (and its run function).
type command struct {
	// name is the words that select it: "rates", "feeds add"; "" is the
	// dashboard. A two-word name is a subcommand of its first word.
	name string
	// args is what follows the name in its synopsis: "[--json]".
	args string
	// summary is the usage text's words for it, one string a line.
	summary []string
	// run runs it with the arguments after its name.
	run func(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error
}

// synopsis is the command as the usage text and the README write it,
// after "steppe ".
func (c command) synopsis() string { return strings.TrimSpace(c.name + " " + c.args) }

// commandTable is every command, in the order the usage text lists them.
// It is filled in init: the run functions look their synopsis up in it.
var commandTable []command

func init() { commandTable = commands() }

func commands() []command {
	return []command{
		{name: "", args: "[flags]", summary: []string{"the dashboard (full screen)"},
			run: func(ctx context.Context, g *globals, _ []string, _, stderr io.Writer) error {
				return runDashboard(ctx, g, stderr)
			}},
		{name: "headlines", args: "[--query NAME | --feed NAME] [--page N] [--json]",
			summary: []string{"one page of stored headlines (a query feed's, a feed's), newest first"}, run: runHeadlines},
		{name: "article", args: "ID [--full] [--json]",
			summary: []string{"one article as the reader shows it (--full: its own page's text)"}, run: runArticle},
		{name: "rates", args: "[--json]",
			summary: []string{"the latest stored rates, and the currencies without one"}, run: runRates},
		{name: "refresh", args: "[--verbose]",
			summary: []string{"fetch every source once and store it"}, run: runRefresh},
		{name: "feeds list", args: "[--json]",
			summary: []string{"every feed: name, group, unread/total, last status, URL"}, run: runFeedsList},
		{name: "feeds add", args: "URL [--name N] [--group G] [--full-text]",
			summary: []string{"check that URL is a feed, then keep it in the store"}, run: runFeedsAdd},
		{name: "feeds remove", args: "NAME|URL",
			summary: []string{"forget a feed kept in the store, and its articles"}, run: runFeedsRemove},
		{name: "feeds import", args: "FILE.opml",
			summary: []string{"add the feeds of an OPML file (folders become groups; - reads stdin)"}, run: runFeedsImport},
		{name: "feeds export", args: "[--with-credentials]",
			summary: []string{"every feed as OPML 2.0 on stdout"}, run: runFeedsExport},
		{name: "sync", args: "[--json]",
			summary: []string{"two-way sync with the [sync] server (Miniflux, Google Reader API)"}, run: runSync},
		{name: "mark", args: "read|unread|star|unstar ID...",
			summary: []string{"change articles' state (ids as headlines --json shows them)"}, run: runMark},
		{name: "import-newsboat", args: "[DIR]",
			summary: []string{"newsboat's urls into the store; its queries and ignore-article",
				"lines printed as [[queries]] and [[rules]] for the config"}, run: runImportNewsboat},
		{name: "check",
			summary: []string{"check the store for damage (exit 1 on damage)"}, run: runCheck},
		{name: "completion", args: "bash|zsh|fish",
			summary: []string{"a shell completion script, to source from the shell's startup file"}, run: runCompletion},
		{name: "help", args: "[COMMAND]",
			summary: []string{"this help, or a command's"}},
	}
}

// groupSummary says what each group of subcommands is for.
var groupSummary = map[string]string{"feeds": "manage the feeds kept in the store"}

// lookup is the table's command named name ("feeds add"), if there is one.
func lookup(name string) (command, bool) {
	i := slices.IndexFunc(commandTable, func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return commandTable[i], true
}

// synopsisOf is the synopsis of the command named name, for its help and
// its usage errors.
func synopsisOf(name string) string {
	if c, ok := lookup(name); ok {
		return c.synopsis()
	}
	return name
}

// topNames are the words that can follow "steppe": the commands and the
// groups of subcommands ("feeds"), in the table's order.
func topNames() []string {
	var names []string
	for _, c := range commandTable {
		if w, _, _ := strings.Cut(c.name, " "); w != "" && !slices.Contains(names, w) {
			names = append(names, w)
		}
	}
	return names
}

// subcommands are the commands of the group named group ("feeds"): their
// second words, in the table's order.
func subcommands(group string) []command {
	var subs []command
	for _, c := range commandTable {
		if w, _, ok := strings.Cut(c.name, " "); ok && w == group {
			subs = append(subs, c)
		}
	}
	return subs
}

// usageColumn is where the usage text's summaries begin; a synopsis that
// reaches it has its summary on the lines below.
const usageColumn = 41

// usageLines lists cmds as the usage text does: "  steppe SYNOPSIS", the
// summary from usageColumn on (below it when the synopsis reaches it).
func usageLines(cmds []command) string {
	var b strings.Builder
	for _, c := range cmds {
		head := "  steppe " + c.synopsis()
		if len(head) >= usageColumn {
			b.WriteString(head + "\n")
			head = ""
		}
		for _, s := range c.summary {
			fmt.Fprintf(&b, "%-*s%s\n", usageColumn, head, s)
			head = ""
		}
	}
	return b.String()
}

// usageText is the help of steppe itself: every command of the table.
func usageText() string {
	return "steppe — news and money from Central Asia in your terminal\n\nUsage:\n" +
		usageLines(commandTable) + `
Exit status: 0 done; 1 failed (refresh: every source failed; headlines:
no such page); 2 bad usage; the dashboard exits 0 when asked to stop by
SIGTERM or SIGINT and 129 on SIGHUP; other commands stopped by a signal
exit 128 + its number (130 for SIGINT, 143 for SIGTERM).
`
}

// groupUsage is the help of a group of subcommands ("steppe feeds").
func groupUsage(group string) string {
	text := "Usage:\n" + usageLines(subcommands(group))
	if group == "feeds" {
		text += `
Feeds of the config file are changed by editing it; "add" and "import" keep
feeds in the store beside them. A group is a folder path: "News/Asia".
`
	}
	return text
}

// runGroup runs the subcommand of group that args name.
func runGroup(ctx context.Context, group string, g *globals, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, groupUsage(group))
		return errUsage
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, groupUsage(group))
		return nil
	}
	if c, ok := lookup(group + " " + sub); ok {
		g.cmd = c.name
		return c.run(ctx, g, rest, stdout, stderr)
	}
	var names []string
	for _, c := range subcommands(group) {
		names = append(names, strings.TrimPrefix(c.name, group+" "))
	}
	msg := fmt.Sprintf("steppe %s: unknown command %q", group, oneLine(sub))
	if s := suggest.Nearest(sub, names); s != "" {
		msg += " — did you mean " + s + "?"
	}
	fmt.Fprintf(stderr, "%s\n\n%s", msg, groupUsage(group))
	return errUsage
}

// errDescribed ends a command's run at its flag parsing when the flags
// were only asked for (globals.describe): nothing else of it runs.
var errDescribed = errors.New("flags described")

// commandFlags are the flags of the command c, as its own run function
// defines them: it is run with globals.describe set, which makes subFlags
// hand over its flag set and stop before anything is opened or read.
func commandFlags(c command) []*flag.Flag {
	if c.run == nil || c.name == "" {
		return nil
	}
	var flags []*flag.Flag
	g := defaultGlobals()
	g.describe = func(fs *flag.FlagSet) {
		fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	}
	g.cmd = c.name
	_ = c.run(context.Background(), &g, nil, io.Discard, io.Discard)
	return flags
}
