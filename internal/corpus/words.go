package corpus

// The vocabularies below are the raw material of the generated text. They
// are fixed lists, so a seed always gives the same corpus; names of
// entities and places are made from syllables instead, so that they never
// collide with these ordinary words.

// filler is running-text vocabulary, roughly in order of frequency: words
// near the front are drawn more often.
var filler = []string{
	"the", "of", "and", "to", "in", "a", "that", "is", "for", "on", "with", "as", "was", "by",
	"at", "from", "it", "an", "be", "this", "which", "or", "are", "were", "has", "have", "its",
	"their", "not", "but", "had", "will", "would", "more", "than", "also", "after", "since",
	"officials", "government", "talks", "delegation", "agreement", "report", "reports", "week",
	"month", "year", "region", "border", "forces", "security", "trade", "supply", "support",
	"minister", "ministry", "statement", "meeting", "visit", "deal", "plan", "policy", "shipments",
	"according", "said", "says", "expected", "likely", "probably", "unlikely", "assess", "judge",
	"indicates", "suggests", "remains", "continues", "announced", "confirmed", "denied", "signed",
	"agreed", "rejected", "proposed", "discussed", "reviewed", "approved", "delayed", "resumed",
	"new", "former", "senior", "regional", "national", "joint", "bilateral", "economic", "military",
	"political", "public", "private", "foreign", "domestic", "local", "official", "several",
	"first", "second", "last", "next", "recent", "further", "major", "minor", "limited", "broad",
	"sources", "imagery", "satellite", "analysts", "observers", "diplomats", "envoys", "leaders",
	"capital", "port", "railway", "pipeline", "factory", "plant", "depot", "airfield", "base",
	"exports", "imports", "fuel", "grain", "munitions", "equipment", "components", "technology",
	"sanctions", "restrictions", "measures", "exemptions", "licences", "payments", "credit",
	"exercise", "drills", "patrols", "deployment", "inspection", "monitoring", "verification",
	"between", "during", "before", "against", "without", "under", "over", "through", "across",
	"while", "although", "because", "despite", "whether", "if", "when", "where", "how", "why",
	"they", "them", "he", "she", "his", "her", "we", "our", "these", "those", "such", "any",
	"some", "many", "most", "few", "each", "both", "other", "another", "same", "own", "only",
	"could", "should", "may", "might", "must", "can", "did", "does", "do", "been", "being",
	"increase", "decrease", "rise", "fall", "growth", "decline", "shift", "change", "pressure",
	"risk", "threat", "concern", "signal", "message", "response", "reaction", "position", "stance",
	"cooperation", "relations", "partnership", "dispute", "crisis", "conflict", "ceasefire",
	"negotiations", "framework", "memorandum", "protocol", "treaty", "commission", "committee",
	"budget", "revenue", "investment", "loan", "debt", "tariff", "quota", "market", "prices",
	"coast", "harbour", "province", "district", "city", "village", "island", "strait", "corridor",
	"vessel", "tanker", "freighter", "convoy", "aircraft", "drone", "missile", "launcher", "radar",
	"quietly", "publicly", "formally", "reportedly", "apparently", "largely", "partly", "again",
}

// headingWords open or close a section heading around a topic title.
var headingPrefixes = []string{
	"", "", "", "Recent", "New", "Renewed", "Outlook for", "Background:", "Assessing",
	"Shifts in", "Limits of", "The State of", "Signals on", "A Focus on", "Progress on",
}

var headingSuffixes = []string{
	"", "", "", "", " After the Talks", " in Context", " and Its Limits", " This Quarter",
	" Under Pressure", " at a Crossroads", " Ahead", " So Far",
}

// genericHeadings name sections that belong to no topic.
var genericHeadings = []string{
	"Background", "Key Judgements", "Outlook", "Assessment", "What Happened", "Reactions",
	"Indicators to Watch", "Gaps in Our Knowledge", "Implications", "Timeline of Events",
	"Sources and Confidence", "Open Questions", "Context", "Next Steps",
}

// subheadings are ### headings inside a section.
var subheadings = []string{
	"Details", "Evidence", "Caveats", "Official Line", "Local Reporting", "Imagery", "Figures",
	"Alternative View", "What We Do Not Know", "Earlier Precedents",
}

// Topic titles are an adjective and a noun; an alias swaps the noun for a
// synonym.
var topicAdjectives = []string{
	"Military", "Economic", "Energy", "Nuclear", "Maritime", "Cyber", "Border", "Trade", "Space",
	"Food", "Health", "Water", "Arms", "Financial", "Digital", "Regional", "Naval", "Air",
	"Labour", "Migration", "Climate", "Grain", "Rail", "Port", "Diplomatic", "Humanitarian",
	"Legal", "Election", "Media", "Mining", "Fisheries", "Pipeline", "Satellite", "Missile",
	"Banking", "Customs", "Shipping", "Academic", "Religious", "Tourism",
}

var topicNouns = []string{
	"Cooperation", "Security", "Sanctions", "Policy", "Ties", "Talks", "Aid", "Exports",
	"Disputes", "Infrastructure", "Reform", "Agreements", "Crisis", "Relations", "Programmes",
	"Supply", "Investment", "Control", "Governance", "Exchanges",
}

var nounSynonyms = map[string]string{
	"Cooperation": "Collaboration", "Security": "Safety", "Sanctions": "Embargoes",
	"Policy": "Strategy", "Ties": "Links", "Talks": "Negotiations", "Aid": "Assistance",
	"Exports": "Shipments", "Disputes": "Quarrels", "Infrastructure": "Projects",
	"Reform": "Overhaul", "Agreements": "Accords", "Crisis": "Emergency",
	"Relations": "Contacts", "Programmes": "Projects", "Supply": "Deliveries",
	"Investment": "Capital", "Control": "Oversight", "Governance": "Administration",
	"Exchanges": "Visits",
}

// Syllables make names that are pronounceable and never ordinary words.
var (
	onsets = []string{"b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "kh",
		"ch", "br", "dr", "kr", "tr", "st", "zh", "y", "h", "f"}
	vowels = []string{"a", "e", "i", "o", "u", "a", "o", "ai", "ei", "ou", "ia"}
	codas  = []string{"", "", "", "n", "r", "k", "v", "sk", "l", "m", "t", "sh", "nd"}
)

// Name patterns for kinds of entity; %s is a generated word.
var (
	orgPatterns = []string{
		"Ministry of %s Affairs", "%s Council", "%s Corporation", "%s Institute",
		"Bureau of %s Trade", "%s Front", "%s Shipping Company", "%s Development Bank",
		"%s Armaments Directorate", "%s Security Service", "%s Workers' Union", "%s Party",
	}
	placePatterns = []string{"%s", "%s", "%s", "Port %s", "%s Oblast", "%s Province", "%s Bay", "Mount %s"}
	equipPatterns = []string{"%s-%d", "%s %d", "%s-class frigate", "%s launcher", "%s-%dM"}
	eventPatterns = []string{"%s Summit", "%s Accord", "%s Forum", "%s Incident", "Exercise %s"}
	otherPatterns = []string{"%s Doctrine", "Project %s", "%s Fund", "%s Initiative"}
	personTitles  = []string{"Minister", "General", "Ambassador", "Director", "Admiral", "Envoy"}
)

// Code blocks quote the kinds of material a briefing cites: a config file
// from a seized device, a data extract, a query.
var codeSamples = []struct{ lang, text string }{
	{"json", `{
  "vessel": "{W}",
  "imo": {N},
  "flag": "{W}",
  "last_port": "{W}",
  "cargo": ["{W}", "{W}"],
  "ais_gap_hours": {N}
}`},
	{"yaml", `shipment:
  consignee: {W}
  declared: {W}
  weight_t: {N}
  route:
    - {W}
    - {W}
  inspected: false`},
	{"python", `import csv

def flagged(rows, threshold={N}):
    """Return shipments from {W} above the threshold."""
    out = []
    for row in rows:
        if row["origin"] == "{W}" and int(row["tonnes"]) > threshold:
            out.append(row)
    return out`},
	{"go", `package main

import "fmt"

func main() {
	routes := map[string]int{"{W}": {N}, "{W}": {N}}
	for port, n := range routes {
		fmt.Printf("%s: %d calls\n", port, n)
	}
}`},
	{"sql", `SELECT port, COUNT(*) AS calls, SUM(tonnes) AS total
FROM port_calls
WHERE flag = '{W}' AND year = {N}
GROUP BY port
ORDER BY total DESC
LIMIT {N};`},
	{"bash", `# extract the {W} logs and count entries per day
grep -h '{W}' logs/*.txt | cut -d' ' -f1 | sort | uniq -c > daily-{N}.txt
wc -l daily-{N}.txt`},
}

var classifications = []string{"UNCLASSIFIED", "UNCLASSIFIED // FOR OFFICIAL USE ONLY", "CONFIDENTIAL", "SECRET // REL TO PARTNERS"}

var sourcePublishers = []string{"Reuters", "Associated Press", "Yonhap", "TASS", "Kyodo", "NK News", "38 North", "Financial Times", "Nikkei Asia", "Bloomberg"}
