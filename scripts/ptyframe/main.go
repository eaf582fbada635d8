// Command ptyframe measures a program on a pseudo-terminal that answers no
// terminal query (as the Linux console, ssh -tt, script(1) and many CI
// runners): the time from exec to the first output holding a marker, over
// several runs, and optionally the CPU the program then uses while idle.
// It is a measuring aid, not part of steppe.
//
//	go run ./scripts/ptyframe -marker 'Viewing results' -runs 5 -- ./steppe --offline --data-dir DIR
//	go run ./scripts/ptyframe -marker 'Viewing results' -idle 60s -- ./steppe --offline --data-dir DIR
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/creack/pty"
)

func main() {
	marker := flag.String("marker", "", "text whose arrival ends the measurement (empty: the program's exit)")
	runs := flag.Int("runs", 5, "how many runs")
	idle := flag.Duration("idle", 0, "after the marker of the last run, measure CPU over this long")
	keys := flag.String("keys", "", "what to type once the marker is seen, before the idle measurement (a space pauses steppe's ticker)")
	timeout := flag.Duration("timeout", 20*time.Second, "give up on a run after this long")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: ptyframe [-marker TEXT] [-runs N] [-idle D] -- PROGRAM ARGS...")
		os.Exit(2)
	}
	var times []time.Duration
	for i := range *runs {
		d, cpu, err := run(flag.Args(), *marker, *keys, *timeout, i == *runs-1 && *idle > 0, *idle)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ptyframe:", err)
			os.Exit(1)
		}
		times = append(times, d)
		if cpu >= 0 {
			fmt.Printf("idle CPU over %v: %.2f%% of one core\n", *idle, cpu)
		}
	}
	slices.Sort(times)
	var s []string
	for _, d := range times {
		s = append(s, strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64))
	}
	fmt.Printf("to %q: median %.1f ms (runs, ms: %s)\n", *marker, float64(times[len(times)/2].Microseconds())/1000, strings.Join(s, " "))
}

// run starts argv on a fresh 100x30 pty, reads what it writes (never
// answering), and returns the time to the marker; with idle it then types
// keys and measures the process's CPU use over that long.
func run(argv []string, marker, keys string, timeout time.Duration, measureIdle bool, idle time.Duration) (time.Duration, float64, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	start := time.Now()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		return 0, -1, err
	}
	defer ptmx.Close()
	defer func() { _ = cmd.Process.Kill() }()
	var mu sync.Mutex
	var out bytes.Buffer
	seen := make(chan time.Duration, 1)
	go func() {
		buf := make([]byte, 8192)
		found := false
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			if !found && marker != "" && bytes.Contains(out.Bytes(), []byte(marker)) {
				found = true
				seen <- time.Since(start)
			}
			if out.Len() > 1<<20 {
				out.Reset() // only the marker matters; idle output is discarded
			}
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	exited := make(chan time.Duration, 1)
	go func() { _ = cmd.Wait(); exited <- time.Since(start) }()
	var d time.Duration
	select {
	case d = <-seen:
	case d = <-exited:
		if marker != "" {
			mu.Lock()
			defer mu.Unlock()
			return 0, -1, fmt.Errorf("%s exited before %q; output %q", argv[0], marker, out.String())
		}
	case <-time.After(timeout):
		return 0, -1, fmt.Errorf("no %q after %v", marker, timeout)
	}
	cpu := -1.0
	if measureIdle {
		if _, err := ptmx.WriteString(keys); err != nil {
			return 0, -1, err
		}
		time.Sleep(2 * time.Second)
		t0, err := cpuTicks(cmd.Process.Pid)
		if err != nil {
			return 0, -1, err
		}
		time.Sleep(idle)
		t1, err := cpuTicks(cmd.Process.Pid)
		if err != nil {
			return 0, -1, err
		}
		cpu = float64(t1-t0) / 100 / idle.Seconds() * 100 // USER_HZ is 100 on Linux
	}
	return d, cpu, nil
}

// cpuTicks is a process's user plus system time in clock ticks.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; fields count from its ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("unreadable /proc/%d/stat", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("unreadable /proc/%d/stat", pid)
	}
	return u + s, nil
}
