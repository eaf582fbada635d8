// Package synctest runs a real Miniflux on a real PostgreSQL for the
// end-to-end tests of sync: PostgreSQL 15 (Debian's postgresql package)
// in a private data directory on a private port, run as the postgres user
// when the tests run as root (PostgreSQL refuses root), and Miniflux 2.3.5
// built from the tools module scripts/miniflux (never from steppe's own
// go.mod). One server per test binary serves every test; each test logs
// in as a user of its own.
//
// The tests skip when neither is found, unless STEPPE_E2E=1, when
// anything missing fails them: CI must not pass by skipping.
package synctest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	miniflux "miniflux.app/v2/client"
)

// MinifluxVersion is the Miniflux the tests run (scripts/miniflux/go.mod).
const MinifluxVersion = "v2.3.5"

// pgBin is where Debian's postgresql-15 keeps its programs.
const pgBin = "/usr/lib/postgresql/15/bin"

// Server is a running Miniflux.
type Server struct {
	URL           string // http://127.0.0.1:port
	AdminUser     string
	AdminPassword string
	PGPort        int
	dir           string
	pgData        string
	mf            *exec.Cmd
	pgProc        *exec.Cmd
	mfLog         *lockedBuffer
	mfDone        chan struct{} // closed once the running Miniflux is reaped
	asPostgres    *syscall.Credential
}

var (
	once     sync.Once
	shared   *Server
	startErr error
)

// required reports whether the end-to-end tests must run (CI).
func required() bool { return os.Getenv("STEPPE_E2E") == "1" }

// Main runs a test binary's tests and stops the shared server after them.
// Use it from TestMain: func TestMain(m *testing.M) { os.Exit(synctest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		shared.stop()
	}
	return code
}

// Shared returns the test binary's server, starting it on first use. It
// skips tb when PostgreSQL or Miniflux is not to be had (fails it under
// STEPPE_E2E=1).
func Shared(tb testing.TB) *Server {
	tb.Helper()
	once.Do(func() { shared, startErr = start() })
	if startErr != nil {
		var miss *missingError
		if errors.As(startErr, &miss) && !required() {
			tb.Skipf("sync end-to-end tests need %v (set STEPPE_E2E=1 to make this a failure)", startErr)
		}
		tb.Fatalf("starting Miniflux on PostgreSQL: %v", startErr)
	}
	return shared
}

// missingError is a program the tests need that is not installed.
type missingError struct{ what string }

func (e *missingError) Error() string { return e.what }

func start() (_ *Server, err error) {
	for _, p := range []string{"initdb", "postgres"} {
		if _, err := os.Stat(filepath.Join(pgBin, p)); err != nil {
			return nil, &missingError{"PostgreSQL 15 (apt-get install postgresql): no " + filepath.Join(pgBin, p)}
		}
	}
	if _, err := exec.LookPath("psql"); err != nil {
		return nil, &missingError{"psql (apt-get install postgresql-client)"}
	}
	bin, err := minifluxBinary()
	if err != nil {
		return nil, err
	}
	// A directory the postgres user can reach: not under a root-only
	// temporary directory.
	dir, err := os.MkdirTemp("", "steppe-synctest-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, pgData: filepath.Join(dir, "pg"), AdminUser: "admin", AdminPassword: randomHex(12), mfLog: &lockedBuffer{}}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	if os.Getuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, &missingError{"the postgres user (PostgreSQL refuses to run as root)"}
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.asPostgres = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chmod(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.Mkdir(s.pgData, 0o700); err != nil {
			return nil, err
		}
		if err := os.Chown(s.pgData, uid, gid); err != nil {
			return nil, err
		}
	}
	if s.PGPort, err = freePort(); err != nil {
		return nil, err
	}
	if err := s.pg("initdb", "-D", s.pgData, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		return nil, err
	}
	if err := s.startPostgres(); err != nil {
		return nil, err
	}
	if _, err := s.SQL("postgres", "CREATE DATABASE miniflux"); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	if err := s.startMiniflux(bin, port); err != nil {
		return nil, err
	}
	return s, nil
}

// startPostgres runs the server as a child of the test binary (not
// daemonised by pg_ctl), killed with it if the binary dies (a panic, a
// -timeout), and waits until it takes connections.
func (s *Server) startPostgres() error {
	cmd := exec.Command(filepath.Join(pgBin, "postgres"), "-D", s.pgData, "-p", strconv.Itoa(s.PGPort), "-k", s.pgData,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off")
	cmd.Dir = s.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Credential: s.asPostgres}
	log := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	s.pgProc = cmd
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := s.SQL("postgres", "SELECT 1"); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("postgres did not take connections within 60 s\n%s", log.String())
}

// pg runs a PostgreSQL program as the postgres user.
func (s *Server) pg(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(pgBin, name), args...)
	cmd.Dir = s.dir
	if s.asPostgres != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.asPostgres}
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v\n%s", name, err, out)
	}
	return nil
}

// SQL runs statements on database db with psql and returns what psql
// printed (unaligned, tuples only).
func (s *Server) SQL(db, statements string) (string, error) {
	cmd := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t",
		"-h", "127.0.0.1", "-p", strconv.Itoa(s.PGPort), "-U", "postgres", "-d", db, "-c", statements)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("psql: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// startMiniflux starts Miniflux on 127.0.0.1:port and waits for it to answer.
func (s *Server) startMiniflux(bin string, port int) error {
	s.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		fmt.Sprintf("DATABASE_URL=postgres://postgres@127.0.0.1:%d/miniflux?sslmode=disable", s.PGPort),
		"RUN_MIGRATIONS=1", "CREATE_ADMIN=1",
		"ADMIN_USERNAME="+s.AdminUser, "ADMIN_PASSWORD="+s.AdminPassword,
		fmt.Sprintf("LISTEN_ADDR=127.0.0.1:%d", port), "BASE_URL="+s.URL,
		// Test feeds are served from 127.0.0.1, which Miniflux refuses to
		// fetch unless told otherwise.
		"FETCHER_ALLOW_PRIVATE_NETWORKS=1",
		"POLLING_FREQUENCY=1440", "SCHEDULER_ROUND_ROBIN_MIN_INTERVAL=1440", "BATCH_SIZE=1",
		"WORKER_POOL_SIZE=2", "LOG_LEVEL=error", "CLEANUP_FREQUENCY_HOURS=1000",
	)
	cmd.Stdout, cmd.Stderr = s.mfLog, s.mfLog
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("miniflux: %w", err)
	}
	s.mf = cmd
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			s.mf = nil
			return fmt.Errorf("miniflux exited: %v\n%s", err, s.mfLog.String())
		default:
		}
		resp, err := http.Get(s.URL + "/healthcheck")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				done := make(chan struct{})
				s.mfDone = done
				// Reap the process when it exits; Wait also ends the
				// goroutines copying its output into mfLog.
				go func() { _ = <-exited; close(done) }() //nolint:staticcheck // S1005: the blank keeps errcheck quiet
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("miniflux did not answer /healthcheck within 60 s\n%s", s.mfLog.String())
}

// StopMiniflux stops the Miniflux process (the database stays): a server
// that goes away mid-sync. StartMiniflux starts it again on the same port.
func (s *Server) StopMiniflux() {
	if s.mf != nil && s.mf.Process != nil {
		_ = s.mf.Process.Kill()
		s.mf = nil
		if s.mfDone != nil {
			select {
			case <-s.mfDone:
			case <-time.After(10 * time.Second):
			}
			s.mfDone = nil
		}
		// Wait until the port is closed.
		for range 100 {
			c, err := net.DialTimeout("tcp", strings.TrimPrefix(s.URL, "http://"), 100*time.Millisecond)
			if err != nil {
				return
			}
			c.Close()
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// StartMiniflux starts Miniflux again after StopMiniflux, on the same address.
func (s *Server) StartMiniflux(tb testing.TB) {
	tb.Helper()
	bin, err := minifluxBinary()
	if err != nil {
		tb.Fatal(err)
	}
	port, _ := strconv.Atoi(strings.TrimPrefix(s.URL, "http://127.0.0.1:"))
	if err := s.startMiniflux(bin, port); err != nil {
		tb.Fatal(err)
	}
}

func (s *Server) stop() {
	s.StopMiniflux()
	if s.pgProc != nil && s.pgProc.Process != nil {
		// SIGINT is PostgreSQL's fast shutdown.
		_ = s.pgProc.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { _ = s.pgProc.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = s.pgProc.Process.Kill()
		}
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// User is a Miniflux user of one test.
type User struct {
	Name, Password string
	ID             int64
	Client         *miniflux.Client // logged in as the user
}

// NewUser creates a user of its own for a test, with a random password.
func (s *Server) NewUser(tb testing.TB) *User {
	tb.Helper()
	admin := miniflux.NewClient(s.URL, s.AdminUser, s.AdminPassword)
	name := "u" + randomHex(6)
	pw := randomHex(12)
	u, err := admin.CreateUser(name, pw, false)
	if err != nil {
		tb.Fatalf("creating a Miniflux user: %v", err)
	}
	return &User{Name: name, Password: pw, ID: u.ID, Client: miniflux.NewClient(s.URL, name, pw)}
}

// EnableGoogleReader turns the Google Reader API on for u, with its own
// user name and password (Miniflux keeps them in the integrations table,
// the password bcrypt-hashed: pgcrypto's crypt with a Blowfish salt).
func (s *Server) EnableGoogleReader(tb testing.TB, u *User, name, password string) {
	tb.Helper()
	q := fmt.Sprintf(`CREATE EXTENSION IF NOT EXISTS pgcrypto;
UPDATE integrations SET googlereader_enabled = true, googlereader_username = '%s',
	googlereader_password = crypt('%s', gen_salt('bf')) WHERE user_id = %d;`, name, password, u.ID)
	if _, err := s.SQL("miniflux", q); err != nil {
		tb.Fatal(err)
	}
}

// Log is what Miniflux has printed so far (for a failing test's message).
func (s *Server) Log() string { return s.mfLog.String() }

// lockedBuffer collects a process's output: its stdout and stderr are copied
// by two goroutines, and a restarted process copies into the same buffer.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// minifluxBinary finds Miniflux: $STEPPE_MINIFLUX, else the cache of an
// earlier build, else (under STEPPE_E2E=1, or when Go is at hand) a build
// from scripts/miniflux into that cache.
func minifluxBinary() (string, error) {
	if p := os.Getenv("STEPPE_MINIFLUX"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("STEPPE_MINIFLUX=%s: %w", p, err)
		}
		return p, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	bin := filepath.Join(cache, "steppe", "miniflux-"+MinifluxVersion, "miniflux")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", &missingError{"Miniflux " + MinifluxVersion + " (scripts/miniflux/build.sh, or STEPPE_MINIFLUX)"}
	}
	if !required() {
		return "", &missingError{"Miniflux " + MinifluxVersion + " (build it with scripts/miniflux/build.sh, or set STEPPE_MINIFLUX)"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "miniflux.app/v2")
	cmd.Dir = filepath.Join(root, "scripts", "miniflux")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building Miniflux: %v\n%s", err, out)
	}
	return bin, nil
}

// repoRoot finds the directory of steppe's go.mod above the working one.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(b, []byte("module github.com/steppe-news/steppe\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside steppe's repository")
		}
		dir = parent
	}
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
