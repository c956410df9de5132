package source

import "testing"

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Kim in Russia", "kim-in-russia"},
		{"  --Hello,   World!--  ", "hello-world"},
		{"Überblick", "überblick"},
		{"Café crème", "café-crème"},
		{"Москва и Пекин", "москва-и-пекин"},
		{"日本語の記事", "日本語の記事"},
		{"हिन्दी समाचार", "हिन्दी-समाचार"},
		{"a...b///c\\\\d", "a-b-c-d"},
		{"S-400 & Su-57", "s-400-su-57"},
		{"../../etc/passwd", "etc-passwd"},
		{"2023-09-13", "2023-09-13"},
		{"a\x00b", "a-b"},
		{"!!!", ""},
		{"", ""},
		{"x\xffy", "x-y"},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugFromName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2023-09-13-kim-in-russia", "kim-in-russia"},
		{"2023-09-13", "2023-09-13"},
		{"2023-9-13-x", "2023-9-13-x"},
		{"Kim Jong Un", "kim-jong-un"},
	}
	for _, tt := range tests {
		if got := slugFromName(tt.in); got != tt.want {
			t.Errorf("slugFromName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckSlug(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"Kim in Russia", "kim-in-russia", ""},
		{"../x", "", `slug "../x" would leave its folder`},
		{"/etc", "", `slug "/etc" would leave its folder`},
		{`a\b`, "", `slug "a\\b" would leave its folder`},
		{"..", "", `slug ".." would leave its folder`},
		{".hidden", "", `slug ".hidden" would leave its folder`},
		{"a\x00b", "", `slug "a\x00b" would leave its folder`},
		{"C:x", "", `slug "C:x" would leave its folder`},
		{"???", "", `slug "???" has no letters or digits`},
	}
	for _, tt := range tests {
		got, err := checkSlug(tt.in)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tt.want || gotErr != tt.err {
			t.Errorf("checkSlug(%q) = %q, %q; want %q, %q", tt.in, got, gotErr, tt.want, tt.err)
		}
	}
}
