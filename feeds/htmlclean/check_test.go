package htmlclean

import "testing"

func TestCheck(t *testing.T) {
	for body, ok := range map[string]bool{
		`<p>a <a href="https://x.example/">b</a><br/><img src="https://x.example/i.png" alt="i"/></p><ol start="2"><li>x</li></ol>`: true,
		"":                                       true,
		`<p>a<script>x</script></p>`:             false, // element not allowed
		`<p>a`:                                   false, // unclosed
		`<p><em>a</p></em>`:                      false, // misnested
		`<p><a href="javascript:x">a</a></p>`:    false, // not http(s)
		`<p><a href="/rel">a</a></p>`:            false, // not absolute
		`<p style="x">a</p>`:                     false, // attribute not allowed
		"<p>a \x1b[2J</p>":                       false, // unclean text
		`<p>a<br></p>`:                           false, // void element not self-closed
		`<p><img src="https://x.example/i"></p>`: false,
		`<ol start="x"><li>a</li></ol>`:          false,
		`<p><!-- comment --></p>`:                false,
		`<p><img src="https://x.example/i" alt="` + "\u202e" + `"/></p>`: false,
	} {
		if err := Check(body); (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want ok %v", body, err, ok)
		}
	}
}
