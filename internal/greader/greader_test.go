package greader

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

const secretPW = "hunter2-secret"

// fakeServer speaks enough of the API for the client's own tests; the real
// thing (Miniflux) is exercised by internal/syncer's end-to-end tests.
func fakeServer(t *testing.T, mux *http.ServeMux) *httptest.Server {
	t.Helper()
	mux.HandleFunc("POST /accounts/ClientLogin", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("Email") != "me" || r.FormValue("Passwd") != secretPW {
			http.Error(w, `{"error_message":"bad password `+r.FormValue("Passwd")+`"}`, http.StatusUnauthorized)
			return
		}
		w.Write([]byte("SID=x\nLSID=x\nAuth=me/tok123456\n"))
	})
	mux.HandleFunc("GET /reader/api/0/token", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "GoogleLogin auth=me/tok123456" {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		w.Write([]byte("edit-token-9876\n"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestStreamContentsParsesItemsAndContinuation(t *testing.T) {
	payload, err := os.ReadFile("testdata/stream_contents.json")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /reader/api/0/stream/contents/{stream...}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "GoogleLogin auth=me/tok123456" || r.URL.Query().Get("n") != "50" {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		w.Write(payload)
	})
	srv := fakeServer(t, mux)
	c := New(srv.URL, "me", secretPW, nil)
	items, cont, err := c.StreamContents(ctx(t), IDsQuery{Stream: ReadingList, N: 50})
	if err != nil {
		t.Fatal(err)
	}
	if cont != "page2" || len(items) != 1 {
		t.Fatalf("cont %q, %d items", cont, len(items))
	}
	it := items[0]
	n, err := it.Num()
	if err != nil || n != 0x0005f2b3c4d5e6f7 {
		t.Fatalf("Num = %x, %v", n, err)
	}
	if !it.HasTag(Starred) || it.HasTag(Read) || it.Origin.StreamID != "feed/7" {
		t.Fatalf("tags/origin wrong: %+v", it)
	}
	if LongID(n) != it.ID {
		t.Fatalf("LongID = %s, want %s", LongID(n), it.ID)
	}
}

func TestEditTagSendsEditTokenAndIDs(t *testing.T) {
	var got string
	mux := http.NewServeMux()
	mux.HandleFunc("POST /reader/api/0/edit-tag", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		got = r.PostForm.Get("T") + " " + strings.Join(r.PostForm["i"], ",") + " a=" + r.PostForm.Get("a") + " r=" + r.PostForm.Get("r")
		w.Write([]byte("OK"))
	})
	srv := fakeServer(t, mux)
	c := New(srv.URL, "me", secretPW, nil)
	if err := c.EditTag(ctx(t), []int64{1, 255}, []string{Read}, []string{Starred}); err != nil {
		t.Fatal(err)
	}
	want := "edit-token-9876 tag:google.com,2005:reader/item/0000000000000001,tag:google.com,2005:reader/item/00000000000000ff a=" + Read + " r=" + Starred
	if got != want {
		t.Fatalf("server got %q\nwant %q", got, want)
	}
}

func TestErrorsAreTypedAndHideSecrets(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /reader/api/0/subscription/list", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html>not json " + secretPW + "</html>"))
	})
	mux.HandleFunc("GET /reader/api/0/stream/items/ids", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database is down", http.StatusInternalServerError)
	})
	srv := fakeServer(t, mux)
	userinfo := strings.Replace(srv.URL, "http://", "http://me:"+secretPW+"@", 1)

	_, err := New(userinfo, "me", "wrong-"+secretPW, nil).Subscriptions(ctx(t))
	if !errors.Is(err, ErrAuth) {
		t.Fatalf("wrong password: %v, want ErrAuth", err)
	}
	check := func(err error, kind error) {
		t.Helper()
		if !errors.Is(err, kind) {
			t.Fatalf("%v: want %v", err, kind)
		}
		if strings.Contains(err.Error(), secretPW) || strings.Contains(err.Error(), "tok123456") {
			t.Fatalf("secret in error text: %v", err)
		}
	}
	check(err, ErrAuth)
	good := New(userinfo, "me", secretPW, nil)
	_, err = good.Subscriptions(ctx(t))
	check(err, ErrBadResponse)
	_, _, err = good.ItemIDs(ctx(t), IDsQuery{Stream: ReadingList})
	check(err, ErrBadResponse)
	if !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("no status in %v", err)
	}
	srv.Close()
	_, err = good.Subscriptions(ctx(t))
	check(err, ErrUnreachable)
}

func TestParseItemID(t *testing.T) {
	for in, want := range map[string]int64{"12345": 12345, longPrefix + "00000000148b9369": 0x148b9369, longPrefix + "2f2": 0x2f2} {
		if got, err := ParseItemID(in); err != nil || got != want {
			t.Errorf("ParseItemID(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x1", longPrefix + "zz", "99999999999999999999999"} {
		if _, err := ParseItemID(bad); err == nil {
			t.Errorf("ParseItemID(%q): no error", bad)
		}
	}
}
