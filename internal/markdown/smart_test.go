package markdown

import "testing"

func TestSmarten(t *testing.T) {
	for in, want := range map[string]string{
		"":                                    "",
		"no quotes at all":                    "no quotes at all",
		"Kim Jong Un's first trip":            "Kim Jong Un’s first trip",
		"the '90s and 'quoted' words":         "the ’90s and ‘quoted’ words",
		`a "breakthrough document" (he said)`: "a “breakthrough document” (he said)",
		`("inside")`:                          "(“inside”)",
		"2023--2024 and a pause---then...":    "2023–2024 and a pause—then…",
		"already ’curly’ stays":               "already ’curly’ stays",
		"Сеул's":                              "Сеул’s",
		"a-b stays; 3.5 stays":                "a-b stays; 3.5 stays",
	} {
		if got := Smarten(in); got != want {
			t.Errorf("Smarten(%q) = %q, want %q", in, got, want)
		}
	}
}
