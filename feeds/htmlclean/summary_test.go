package htmlclean

import (
	"regexp"
	"strings"
	"testing"
)

// summaryMax is the summary length the feed parser asks for.
const summaryMax = 400

func TestSummary(t *testing.T) {
	sentences := strings.Repeat("Tenge rates moved today. ", 30)
	got := Summary(strings.TrimSpace(sentences), summaryMax)
	if len(got) > summaryMax || !strings.HasSuffix(got, "today.") {
		t.Errorf("sentence cut: %d %q", len(got), got)
	}
	words := strings.Repeat("слово ", 200)
	got = Summary(strings.TrimSpace(words), summaryMax)
	if len(got) > summaryMax+len("…") || !strings.HasSuffix(got, "слово…") {
		t.Errorf("word cut: %d %q", len(got), got)
	}
	if got := Summary("short.", summaryMax); got != "short." {
		t.Errorf("short: %q", got)
	}
}

func TestTitleFrom(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		whole    bool
	}{
		{"Short note", "Short note", true},
		{"First line\n\nSecond paragraph", "First line", false},
		{strings.Repeat("Ташкент метро ", 20), "Ташкент метро Ташкент метро Ташкент метро Ташкент…", false},
		{"", "", true},
	} {
		got, whole := TitleFrom(tc.in)
		if got != tc.want || whole != tc.whole {
			t.Errorf("TitleFrom(%q) = %q, %v; want %q, %v", tc.in, got, whole, tc.want, tc.whole)
		}
		if len(got) > titleMax+len("…") {
			t.Errorf("title %q is %d bytes", got, len(got))
		}
	}
}

func TestTrimBoilerplate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Rates held. The post Rates held appeared first on The Times Of Central Asia.", "Rates held."},
		{"Rates held at 15.25% on Friday […]", "Rates held at 15.25% on Friday…"},
		{"Rates held at 15.25% on Friday [...]", "Rates held at 15.25% on Friday…"},
		{"The bank kept rates … Continue reading →", "The bank kept rates …"},
		{"The bank kept rates… Continue reading “Rates held” →", "The bank kept rates…"},
		{"Snippet of the story… Continue reading on Medium »", "Snippet of the story…"},
		{"Rates held. Read more", "Rates held."},
		{"Rates held. Read More »", "Rates held."},
		{"Rates held. Read the rest of this entry »", "Rates held."},
		{"Курс сома не изменился. Читать далее →", "Курс сома не изменился."},
		{"Курс сома не изменился… Подробнее", "Курс сома не изменился…"},
		{"Soʻm kursi oʻzgarmadi. Batafsil", "Soʻm kursi oʻzgarmadi."},
		{"How to read more books was originally published in Better Humans on Medium, where people are continuing the conversation by highlighting and responding to this story.", ""},
		{"Summary. Rates held was originally published in Money on Medium, where people are continuing the conversation by highlighting and responding to this story.", "Summary."},
		{"Continue reading →", ""},
		// Kept: the phrase inside a sentence, or without a sentence end
		// or an arrow.
		{"Click here to read more", "Click here to read more"},
		{"Об этом сообщили подробнее", "Об этом сообщили подробнее"},
		{"We read more books in winter.", "We read more books in winter."},
		// Kept: sentences that only look like a footer or a link.
		{"The post office appeared first on the list of closures, said officials.", "The post office appeared first on the list of closures, said officials."},
		{"Ministers met today. The post of mayor appeared first on the list; the rest followed.", "Ministers met today. The post of mayor appeared first on the list; the rest followed."},
		{"Officials said they would like to read more...", "Officials said they would like to read more..."},
		{"Critics urged voters to keep reading…", "Critics urged voters to keep reading…"},
		{"Rates held.The post Rates appeared first on Site.", "Rates held.The post Rates appeared first on Site."},
		{"Nothing to trim.", "Nothing to trim."},
	} {
		if got := TrimBoilerplate(tc.in); got != tc.want {
			t.Errorf("TrimBoilerplate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCutMarker holds cutMarker to the pattern it stands for.
func TestCutMarker(t *testing.T) {
	re := regexp.MustCompile(`\s*[\[(](?:…|\.\.\.|&hellip;)[\])]\s*$`)
	for _, s := range []string{
		"Rates held […]", "Rates held [...]", "Rates held [&hellip;]", "Rates held (…)", "Rates held (…]",
		"Rates held\t[…] \n", "[…]", " (...)", "Rates held […] more", "Rates held […", "Rates held …]",
		"Rates held [ …]", "Rates held [……]", "Rates held ]", "", ")", "a\u00a0[…]", "Rates held [....]",
	} {
		want, wantOK := re.ReplaceAllString(s, ""), re.MatchString(s)
		got, ok := cutMarker(s)
		if !wantOK {
			want = s
		}
		if got != want || ok != wantOK {
			t.Errorf("cutMarker(%q) = %q, %v; want %q, %v", s, got, ok, want, wantOK)
		}
	}
}

func TestLower(t *testing.T) {
	for _, s := range []string{"", "Read More »", "ЧИТАТЬ ДАЛЕЕ →", "Batafsil … DAVOMINI O‘qing", "İSTANBUL ǅ Σ", "bad \xff\xfe utf8 Ä", "ΑΣ"} {
		if got, want := string(lower(s)), strings.ToLower(s); got != want {
			t.Errorf("lower(%q) = %q, want %q", s, got, want)
		}
	}
}
