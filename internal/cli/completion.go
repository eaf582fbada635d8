package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/steppe-news/steppe/internal/sanitize"
)

// runCompletion prints a completion script for a shell, made from the
// command table: the commands, the subcommands of a group and each
// command's flags, as its run function defines them.
func runCompletion(_ context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	pos, err := subFlags("completion", g, args, stderr, nil)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badUsage("completion takes the name of a shell: " + synopsisOf("completion"))
	}
	m := completionModel()
	switch pos[0] {
	case "bash":
		_, err = io.WriteString(stdout, m.bash())
	case "zsh":
		_, err = io.WriteString(stdout, m.zsh())
	case "fish":
		_, err = io.WriteString(stdout, m.fish())
	default:
		return badUsage(fmt.Sprintf("completion: no script for the shell %s (bash, zsh and fish have one)", sanitize.Key(pos[0])))
	}
	return err
}

// complFlag is a flag as completion offers it.
type complFlag struct {
	name, usage string
	value       bool // it takes a value: the next word is not a command
	file        bool // its value is a file or directory
}

// complCmd is a word that can follow "steppe" (or a group's word).
type complCmd struct {
	word, summary string
	flags         []complFlag // its own flags, the global ones left out
	files         bool        // its arguments are files (feeds import, import-newsboat)
	args          []string    // the words its first argument can be
	subs          []complCmd  // a group's subcommands
}

type complModel struct {
	global []complFlag
	cmds   []complCmd
}

// completionModel reads the command table.
func completionModel() complModel {
	g := defaultGlobals()
	fs := flag.NewFlagSet("steppe", flag.ContinueOnError)
	g.register(fs)
	var globals []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { globals = append(globals, f) })
	m := complModel{global: complFlags(globals, nil)}
	globalNames := map[string]bool{}
	for _, f := range m.global {
		globalNames[f.name] = true
	}
	own := func(c command) []complFlag { return complFlags(commandFlags(c), globalNames) }
	files := func(c command) bool { return c.name == "feeds import" || c.name == "import-newsboat" }
	args := map[string][]string{
		"completion": {"bash", "zsh", "fish"},
		"mark":       slices.Sorted(maps.Keys(markActions)),
		"help":       topNames(),
	}
	for _, name := range topNames() {
		if c, ok := lookup(name); ok {
			m.cmds = append(m.cmds, complCmd{word: name, summary: strings.Join(c.summary, " "), flags: own(c), files: files(c), args: args[name]})
			continue
		}
		group := complCmd{word: name, summary: groupSummary[name]}
		for _, c := range subcommands(name) {
			group.subs = append(group.subs, complCmd{word: strings.TrimPrefix(c.name, name+" "),
				summary: strings.Join(c.summary, " "), flags: own(c), files: files(c)})
		}
		m.cmds = append(m.cmds, group)
	}
	return m
}

// complFlags lists the long flags of flags (a one-letter form is left to
// the user), less those named in skip; a flag that is not a bool takes a
// value, and --config and --data-dir name files.
func complFlags(flags []*flag.Flag, skip map[string]bool) []complFlag {
	var out []complFlag
	for _, f := range flags {
		if len(f.Name) == 1 || skip[f.Name] {
			continue
		}
		b, ok := f.Value.(interface{ IsBoolFlag() bool })
		_, usage := flag.UnquoteUsage(f)
		out = append(out, complFlag{name: f.Name, usage: usage, value: !ok || !b.IsBoolFlag(),
			file: f.Name == "config" || f.Name == "data-dir"})
	}
	return out
}

func (m complModel) valueFlags() []string {
	var names []string
	add := func(fl []complFlag) {
		for _, f := range fl {
			if f.value && !slices.Contains(names, "--"+f.name) {
				names = append(names, "--"+f.name)
			}
		}
	}
	add(m.global)
	for _, c := range m.cmds {
		add(c.flags)
		for _, s := range c.subs {
			add(s.flags)
		}
	}
	return names
}

func flagWords(fl ...[]complFlag) string {
	var w []string
	for _, l := range fl {
		for _, f := range l {
			w = append(w, "--"+f.name)
		}
	}
	return strings.Join(w, " ")
}

func cmdWords(cs []complCmd) string {
	var w []string
	for _, c := range cs {
		w = append(w, c.word)
	}
	return strings.Join(w, " ")
}

// bash is a script for bash: source <(steppe completion bash).
func (m complModel) bash() string {
	var b strings.Builder
	value := m.valueFlags()
	vf := strings.Join(value, "|")
	fmt.Fprintf(&b, `# bash completion for steppe, made by "steppe completion bash".
# Load it with: source <(steppe completion bash)
_steppe() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local cmd= sub= i w words=
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $w in
      %s) ((i++)) ;;
      -*) ;;
      *) if [[ -z $cmd ]]; then cmd=$w; elif [[ -z $sub ]]; then sub=$w; fi ;;
    esac
  done
  case $prev in
    --config|--data-dir) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --*) [[ " %s " == *" $prev "* ]] && { COMPREPLY=(); return; } ;;
  esac
  case "$cmd" in
    "") words=%q ;;
`, vf, strings.Join(value, " "), cmdWords(m.cmds)+" "+flagWords(m.global))
	for _, c := range m.cmds {
		if len(c.subs) == 0 {
			args := ""
			if len(c.args) > 0 {
				args = fmt.Sprintf("[[ $cur == -* ]] || { COMPREPLY=($(compgen -W %q -- \"$cur\")); return; }; ", strings.Join(c.args, " "))
			}
			fmt.Fprintf(&b, "    %s) %s%swords=%q ;;\n", c.word, bashFiles(c.files), args, flagWords(c.flags, m.global))
			continue
		}
		fmt.Fprintf(&b, "    %s)\n      case \"$sub\" in\n        \"\") words=%q ;;\n", c.word, cmdWords(c.subs))
		for _, s := range c.subs {
			fmt.Fprintf(&b, "        %s) %swords=%q ;;\n", s.word, bashFiles(s.files), flagWords(s.flags, m.global))
		}
		b.WriteString("      esac ;;\n")
	}
	b.WriteString(`  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _steppe steppe
`)
	return b.String()
}

// bashFiles completes file names for a command whose arguments are files,
// unless a flag is being typed.
func bashFiles(files bool) string {
	if !files {
		return ""
	}
	return `[[ $cur == -* ]] || { COMPREPLY=($(compgen -f -- "$cur")); return; }; `
}

// zsh is a script for zsh: source <(steppe completion zsh), or saved as
// _steppe in a directory of $fpath.
func (m complModel) zsh() string {
	var b strings.Builder
	vf := strings.Join(m.valueFlags(), "|")
	fmt.Fprintf(&b, `#compdef steppe
# zsh completion for steppe, made by "steppe completion zsh".
# Load it with: source <(steppe completion zsh)
# (or save it as _steppe in a directory of $fpath).
_steppe() {
  local cmd= sub= i w
  local -a cands
  for ((i = 2; i < CURRENT; i++)); do
    w=${words[i]}
    case $w in
      (%s) ((i++)) ;;
      (-*) ;;
      (*) if [[ -z $cmd ]]; then cmd=$w; elif [[ -z $sub ]]; then sub=$w; fi ;;
    esac
  done
  case ${words[CURRENT-1]} in
    (--config|--data-dir) _files; return ;;
    (%s) return ;;
  esac
  if [[ ${words[CURRENT]} != -* ]]; then
    case "$cmd/$sub" in
      (/) cands=(%s); _describe 'command' cands; return ;;
`, vf, vf, zshDescribe(m.cmds))
	for _, c := range m.cmds {
		if len(c.subs) > 0 {
			fmt.Fprintf(&b, "      (%s/) cands=(%s); _describe 'command' cands; return ;;\n", c.word, zshDescribe(c.subs))
		}
		if c.files {
			fmt.Fprintf(&b, "      (%s/*) _files; return ;;\n", c.word)
		}
		if len(c.args) > 0 {
			fmt.Fprintf(&b, "      (%s/) compadd -- %s; return ;;\n", c.word, strings.Join(c.args, " "))
		}
		for _, s := range c.subs {
			if s.files {
				fmt.Fprintf(&b, "      (%s/%s) _files; return ;;\n", c.word, s.word)
			}
		}
	}
	b.WriteString("    esac\n  fi\n  case \"$cmd/$sub\" in\n")
	fmt.Fprintf(&b, "    (/) cands=(%s) ;;\n", flagWords(m.global))
	for _, c := range m.cmds {
		if len(c.subs) == 0 {
			fmt.Fprintf(&b, "    (%s/*) cands=(%s) ;;\n", c.word, flagWords(c.flags, m.global))
		}
		for _, s := range c.subs {
			fmt.Fprintf(&b, "    (%s/%s) cands=(%s) ;;\n", c.word, s.word, flagWords(s.flags, m.global))
		}
	}
	b.WriteString(`  esac
  compadd -- $cands
}
if [[ $funcstack[1] == _steppe ]]; then
  _steppe "$@"
else
  compdef _steppe steppe
fi
`)
	return b.String()
}

// zshDescribe is a list of 'word:summary' for _describe, each quoted.
func zshDescribe(cs []complCmd) string {
	var w []string
	for _, c := range cs {
		w = append(w, shellQuote(c.word+":"+c.summary))
	}
	return strings.Join(w, " ")
}

// fish is a script for fish: steppe completion fish | source, or saved as
// ~/.config/fish/completions/steppe.fish.
func (m complModel) fish() string {
	var b strings.Builder
	b.WriteString(`# fish completion for steppe, made by "steppe completion fish".
# Load it with: steppe completion fish | source
# (or save it as ~/.config/fish/completions/steppe.fish).
complete -c steppe -f
`)
	flagLine := func(cond string, f complFlag) {
		line := "complete -c steppe"
		if cond != "" {
			line += " -n " + shellQuote(cond)
		}
		line += " -l " + f.name
		if f.value {
			line += " -r"
		}
		if f.file {
			line += " -F"
		}
		fmt.Fprintf(&b, "%s -d %s\n", line, shellQuote(f.usage))
	}
	for _, f := range m.global {
		flagLine("", f)
	}
	top := cmdWords(m.cmds)
	for _, c := range m.cmds {
		fmt.Fprintf(&b, "complete -c steppe -n %s -a %s -d %s\n",
			shellQuote("not __fish_seen_subcommand_from "+top), c.word, shellQuote(c.summary))
		in := "__fish_seen_subcommand_from " + c.word
		for _, f := range c.flags {
			flagLine(in, f)
		}
		if c.files {
			fmt.Fprintf(&b, "complete -c steppe -n %s -F\n", shellQuote(in))
		}
		if len(c.args) > 0 {
			fmt.Fprintf(&b, "complete -c steppe -n %s -a %s\n", shellQuote(in), shellQuote(strings.Join(c.args, " ")))
		}
		subs := cmdWords(c.subs)
		for _, s := range c.subs {
			fmt.Fprintf(&b, "complete -c steppe -n %s -a %s -d %s\n",
				shellQuote(in+"; and not __fish_seen_subcommand_from "+subs), s.word, shellQuote(s.summary))
			inSub := in + "; and __fish_seen_subcommand_from " + s.word
			for _, f := range s.flags {
				flagLine(inSub, f)
			}
			if s.files {
				fmt.Fprintf(&b, "complete -c steppe -n %s -F\n", shellQuote(inSub))
			}
		}
	}
	return b.String()
}

// shellQuote quotes s for bash, zsh and fish alike: single quotes, and
// each quote in s as '\” (fish reads \' inside single quotes too, so a
// quote is written as the end of one string, an escaped quote and a new
// string: the same in all three).
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
