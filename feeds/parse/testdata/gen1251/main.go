// Command gen1251 writes the test payloads that must hold exact bytes:
// windows-1251 encoded feeds and a feed full of terminal escapes.
// Run it with `go generate ./feeds/parse/` from the module root.
package main

import (
	"log"
	"os"
	"path/filepath"

	"golang.org/x/text/encoding/charmap"
)

const kg1251 = `<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0">
<channel>
  <title>24.kg — новости Кыргызстана</title>
  <link>https://24.kg/</link>
  <description>Информационное агентство</description>
  <item>
    <title>В Бишкеке продлили отопительный сезон</title>
    <link>https://24.kg/obschestvo/300100/</link>
    <guid>https://24.kg/obschestvo/300100/</guid>
    <pubDate>Wed, 19 Feb 2025 12:00:00 +0600</pubDate>
    <description>Мэрия столицы сообщила, что отопление будут подавать до 15 апреля. Ёлки, «кавычки» и №5.</description>
    <author>Жамиля Сыдыкова</author>
  </item>
</channel>
</rss>
`

// Same text, no encoding declaration: only the HTTP Content-Type
// (charset=windows-1251) says how to read it.
const kg1251NoDecl = `<rss version="2.0">
<channel>
  <title>24.kg</title>
  <link>https://24.kg/</link>
  <description>без декларации</description>
  <item>
    <title>Курс сома: доллар подешевел</title>
    <link>https://24.kg/ekonomika/300200/</link>
    <pubDate>Wed, 19 Feb 2025 13:00:00 +0600</pubDate>
    <description>Нацбанк Кыргызстана установил учетный курс.</description>
  </item>
</channel>
</rss>
`

const esc = "\x1b"

// hostile carries every escape trick we know of, in every stored field.
var hostile = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
  <title>Evil` + esc + `]0;pwned` + "\a" + ` feed</title>
  <link>https://evil.example/</link>
  <description>x</description>
  <item>
    <title>Raw ` + esc + `[31mred` + esc + `[0m and OSC52 ` + esc + `]52;c;cm0gLXJmIH4=` + "\a" + ` bell` + "\a" + `</title>
    <link>https://evil.example/1</link>
    <guid>evil-1</guid>
    <author>Mallory ` + esc + `]8;;https://phish.example/` + esc + `\click` + esc + `]8;;` + esc + `\</author>
    <description>C1 CSI ` + "\u009b" + `2J and raw byte ` + "\x9b" + `2J and bidi ` + "\u202e" + `gnp.exe` + "\u202c" + ` and isolate ` + "\u2066" + `x` + "\u2069" + `</description>
    <pubDate>Wed, 19 Feb 2025 10:00:00 +0000</pubDate>
  </item>
  <item>
    <title>Entity &#27;[2J dec, &#x1b;[2J hex, &#X1B;[2J, &amp;#27;[2J double, &amp;amp;#x1b;[2J triple</title>
    <link>https://evil.example/2</link>
    <guid>evil-2</guid>
    <author>&amp;#x9b;2J &#155;2J author</author>
    <description><![CDATA[<p>CDATA &#27;[31m and &amp;#27;]52;c;AAAA&#7; and &#x202E;bidi</p>]]></description>
    <content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>Body &#27;[2J line one</p><p>` + esc + `]8;;https://phish.example/` + esc + `\link` + esc + `]8;;` + esc + `\ and &amp;#x1b;[31m and ` + "\u009b" + `31m</p><p><a href="javascript:alert(1)">js link</a></p>]]></content:encoded>
    <pubDate>Wed, 19 Feb 2025 09:00:00 +0000</pubDate>
  </item>
  <item>
    <title>Bad links</title>
    <link>javascript:alert(document.cookie)</link>
    <guid>evil-3</guid>
    <description>link is javascript:</description>
  </item>
  <item>
    <title>Escape in link</title>
    <link>https://evil.example/` + esc + `[2J</link>
    <guid>evil-4</guid>
  </item>
  <item>
    <title>Entity escape in link</title>
    <link>https://evil.example/&amp;#27;[2J</link>
    <guid>evil-5</guid>
  </item>
  <item>
    <title>Dash link</title>
    <link>-oProxyCommand=evil</link>
    <guid>evil-6</guid>
  </item>
  <item>
    <title>File link</title>
    <link>file:///etc/passwd</link>
    <guid>evil-7</guid>
  </item>
  <item>
    <title>Bidi link</title>
    <link>https://evil.example/` + "\u202e" + `cod.exe</link>
    <guid>evil-8</guid>
  </item>
</channel>
</rss>
`

func main() {
	enc := charmap.Windows1251.NewEncoder()
	for name, text := range map[string]string{
		"24kg_cp1251.xml":        kg1251,
		"24kg_cp1251_nodecl.xml": kg1251NoDecl,
	} {
		b, err := enc.String(text)
		if err != nil {
			log.Fatal(err)
		}
		write(name, []byte(b))
	}
	write("hostile.xml", []byte(hostile))
}

func write(name string, b []byte) {
	if err := os.WriteFile(filepath.Join("testdata", name), b, 0o644); err != nil {
		log.Fatal(err)
	}
}
