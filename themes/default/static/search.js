/* Dossier search.
 *
 * Runs in the browser with no server, also when the site is opened from
 * disk (file://), where browsers block fetch(): the index is a set of plain
 * scripts (written by the build, see internal/search) that call the
 * registration functions below. The search page loads this file and the
 * manifest (the shard table, the folding table and stop words); a query
 * then adds <script> elements for the shards that hold its words
 * (s/ID.js) and for the packs that hold the records of the results it
 * shows (r/KN.js, manifest.pack records of one kind each), and nothing
 * else.
 *
 * internal/search/query.go answers queries the same way in Go; keep the two
 * in step (the browser test compares them).
 *
 * Text from the index is only ever put into the page as text nodes, never
 * as HTML.
 */
(function () {
  "use strict";

  var manifest = null;
  var shards = {};   // shard id → Map(term → encoded postings)
  var decoded = new Map(); // term → [doc, weight, doc, weight, …] (a Map: "constructor" is a word)
  var records = {};  // record id ("b12") → record
  var loading = {};  // script src → Promise

  window.DossierSearch = {
    manifest: function (m) { manifest = m; },
    shard: function (id, rows) {
      var m = new Map();
      for (var i = 0; i < rows.length; i++) m.set(rows[i][0], rows[i][1]);
      shards[id] = m;
    },
    // pack registers the records of documents n × manifest.pack … of the
    // kind with the prefix: [title, date, path, meta, summary, text].
    pack: function (prefix, n, recs) {
      var kind = manifest.kinds.filter(function (k) { return k[1] === prefix; })[0][0];
      for (var i = 0; i < recs.length; i++) {
        var r = recs[i];
        records[prefix + (n * manifest.pack + i)] = { k: kind, t: r[0], d: r[1], u: r[2], m: r[3], s: r[4], x: r[5] };
      }
    }
  };

  function load(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.async = true;
        s.onload = function () { resolve(); };
        s.onerror = function () {
          delete loading[src];
          reject(new Error("could not load " + src));
        };
        document.head.appendChild(s);
      });
    }
    return loading[src];
  }

  /* Tokens: the rules of internal/search/token.go. */

  var tokenRe = /[\p{L}\p{Nd}\p{Mn}\p{Mc}&]+/gu;
  var markRe = /[\p{Mn}\p{Mc}]/u;
  var digitRe = /\p{Nd}/u;
  var stop = null;

  function termOf(token) {
    var out = "", letters = false;
    for (var ch of token) {
      if (ch === "&") { out += ch; continue; }
      if (markRe.test(ch)) continue;
      letters = true;
      for (var c of ch.toLowerCase()) {
        if (!markRe.test(c)) out += manifest.fold[c] || c;
      }
    }
    return letters ? out : "";
  }

  // tokens returns every token of text with its term and UTF-16 bounds.
  function tokens(text) {
    var out = [], m;
    tokenRe.lastIndex = 0;
    while ((m = tokenRe.exec(text)) !== null) {
      var term = termOf(m[0]);
      if (term) out.push({ term: term, start: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  function indexable(term) {
    var n = Array.from(term).length;
    if (n === 0 || n > 32 || stop.has(term)) return false;
    return n >= 2 || digitRe.test(term);
  }

  function parseQuery(q) {
    var terms = [], last = "", end = -1;
    tokens(q).forEach(function (t) {
      last = t.term;
      end = t.end;
      if (indexable(t.term) && terms.indexOf(t.term) < 0 && terms.length < manifest.maxTerms) terms.push(t.term);
    });
    var prefix = terms.length > 0 && end === q.length && terms[terms.length - 1] === last &&
      Array.from(last).length >= 2;
    return { terms: terms, prefix: prefix };
  }

  // matcher returns a function that tells which query term (its index) a
  // term of a text matches, or -1.
  function matcher(query) {
    var lastIndex = query.terms.length - 1;
    return function (term) {
      for (var i = 0; i <= lastIndex; i++) {
        var t = query.terms[i];
        if (term === t || (query.prefix && i === lastIndex && term.startsWith(t))) return i;
      }
      return -1;
    };
  }

  /* The index: shards, postings, scores. Shards are numbered by their
   * place in the manifest's table, whose rows are [first term, bytes, id]. */

  function shardFile(n) { return "s/" + manifest.shards[n][2] + ".js"; }

  function shardOf(term) {
    var s = manifest.shards, lo = 0, hi = s.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (s[mid][0] <= term) lo = mid + 1; else hi = mid;
    }
    return Math.max(lo - 1, 0);
  }

  // plan returns the shards a query needs: those of its words, then those
  // of the last word's prefix range while the total stays in the budget.
  function plan(query) {
    var out = [], total = 0, s = manifest.shards;
    query.terms.forEach(function (t) {
      var n = shardOf(t);
      if (out.indexOf(n) < 0) { out.push(n); total += s[n][1]; }
    });
    if (query.prefix) {
      var t = query.terms[query.terms.length - 1];
      for (var n = shardOf(t) + 1; n < s.length && s[n][0].startsWith(t); n++) {
        if (out.indexOf(n) >= 0) continue;
        if (total + s[n][1] > manifest.budget) break;
        out.push(n);
        total += s[n][1];
      }
    }
    return out;
  }

  var digitValue = null; // char code → gap digit value, or -(weight)

  // postings decodes a posting list (see internal/search/index.go): per
  // posting the gap to the previous document in base manifest.digits.length
  // (nothing for 0), then the weight as a character of manifest.weights.
  function postings(term, list) {
    if (decoded.has(term)) return decoded.get(term);
    var out = [], prev = -1, n = 0, base = manifest.digits.length;
    for (var i = 0; i < list.length; i++) {
      var v = digitValue[list.charCodeAt(i)];
      if (v < 0) {
        prev += n + 1;
        out.push(prev, -v);
        n = 0;
      } else {
        n = n * base + v;
      }
    }
    decoded.set(term, out);
    return out;
  }

  // score returns a Map of document id → score for the documents that
  // match every term of the query.
  function score(query, loaded) {
    var scores = null, lastIndex = query.terms.length - 1;
    query.terms.forEach(function (t, i) {
      var best = new Map();
      var match = function (term, list, factor) {
        var ps = postings(term, list), df = ps.length / 2;
        var idf = Math.log(1 + (manifest.n - df + 0.5) / (df + 0.5));
        for (var j = 0; j < ps.length; j += 2) {
          var s = factor * idf * ps[j + 1];
          if (!(best.get(ps[j]) >= s)) best.set(ps[j], s);
        }
      };
      var own = shards[manifest.shards[shardOf(t)][2]];
      if (own && own.has(t)) match(t, own.get(t), 1);
      if (query.prefix && i === lastIndex) {
        loaded.forEach(function (n) {
          shards[manifest.shards[n][2]].forEach(function (list, term) {
            if (term !== t && term.startsWith(t)) match(term, list, manifest.prefix);
          });
        });
      }
      if (scores === null) { scores = best; return; }
      scores.forEach(function (s, d) {
        if (best.has(d)) scores.set(d, s + best.get(d)); else scores.delete(d);
      });
    });
    return scores || new Map();
  }

  function kindOf(doc) {
    var ks = manifest.kinds;
    for (var i = 0; i < ks.length; i++) {
      if (doc < ks[i][3] + ks[i][4]) return ks[i];
    }
    return ks[ks.length - 1];
  }

  function recordID(doc) {
    var k = kindOf(doc);
    return k[1] + (doc - k[3]);
  }

  // packFile names the pack that holds a document's record.
  function packFile(doc) {
    var k = kindOf(doc);
    return "r/" + k[1] + Math.floor((doc - k[3]) / manifest.pack) + ".js";
  }

  /* The page. */

  var form, input, status, list, more, app;
  var current = null; // the answer shown: {query, text, kind, results, shown}
  var seq = 0;

  var months = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function formatDate(iso) {
    var p = iso.split("-");
    return Number(p[2]) + " " + months[Number(p[1]) - 1] + " " + p[0];
  }

  function href(path) {
    var u = app.dataset.root + path;
    if (app.hasAttribute("data-offline") && (path === "" || path.endsWith("/"))) u += "index.html";
    return u || "./";
  }

  function kindLabel(name) {
    return { briefing: "Briefing", entity: "Entity", topic: "Topic", page: "Page" }[name] || name;
  }

  // appendMarked appends text to el, each word that matches the query in a
  // <mark>. Only text nodes are made from the text.
  function appendMarked(el, text, match) {
    var at = 0;
    tokens(text).forEach(function (t) {
      if (!indexable(t.term) || match(t.term) < 0) return;
      if (t.start > at) el.appendChild(document.createTextNode(text.slice(at, t.start)));
      var m = document.createElement("mark");
      m.textContent = text.slice(t.start, t.end);
      el.appendChild(m);
      at = t.end;
    });
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }

  var snippetChars = 240;

  // snippet cuts from text the stretch of about snippetChars characters
  // that holds the most different words of the query, earliest first.
  function snippet(text, match, terms) {
    var toks = tokens(text).filter(function (t) { return indexable(t.term); });
    var hits = [];
    toks.forEach(function (t, i) {
      var q = match(t.term);
      if (q >= 0) hits.push({ i: i, q: q, start: t.start });
    });
    var start = 0;
    if (hits.length > 0) {
      var best = -1, bestStart = hits[0].start;
      for (var a = 0; a < hits.length; a++) {
        var seen = {}, count = 0;
        for (var b = a; b < hits.length && hits[b].start - hits[a].start < snippetChars * 0.6; b++) {
          if (!seen[hits[b].q]) { seen[hits[b].q] = true; count++; }
        }
        if (count > best) { best = count; bestStart = hits[a].start; }
        if (best === terms) break;
      }
      // Start a little before the first hit, at a word.
      start = Math.max(0, bestStart - 60);
      if (start > 0) {
        var sp = text.indexOf(" ", start);
        start = sp >= 0 && sp < bestStart ? sp + 1 : bestStart;
      }
    }
    var end = Math.min(text.length, start + snippetChars);
    if (end < text.length) {
      var cut = text.lastIndexOf(" ", end);
      if (cut > start + snippetChars / 2) end = cut;
    }
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  function resultItem(doc, query) {
    var r = records[recordID(doc)];
    var match = matcher(query);
    var li = document.createElement("li");
    li.className = "search-result kind-" + r.k;

    var meta = document.createElement("p");
    meta.className = "search-result-meta";
    var kind = document.createElement("span");
    kind.className = "search-result-kind";
    kind.textContent = kindLabel(r.k);
    meta.appendChild(kind);
    if (r.d) {
      var time = document.createElement("time");
      time.dateTime = r.d;
      time.textContent = formatDate(r.d);
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(time);
    }
    if (r.m) meta.appendChild(document.createTextNode(" · " + r.m));

    var h = document.createElement("h2");
    h.className = "search-result-title";
    var a = document.createElement("a");
    a.href = href(r.u);
    appendMarked(a, r.t, match);
    h.appendChild(a);

    var p = document.createElement("p");
    p.className = "search-snippet";
    var text = r.x || r.s || "";
    var inText = tokens(text).some(function (t) { return indexable(t.term) && match(t.term) >= 0; });
    if (!inText && r.s) text = r.s;
    appendMarked(p, snippet(text, match, query.terms.length), match);

    li.appendChild(h);
    li.appendChild(meta);
    if (p.firstChild) li.appendChild(p);
    return li;
  }

  function setStatus(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function kindValue() {
    var c = form.querySelector('input[name="kind"]:checked');
    return c ? c.value : "";
  }

  function syncURL(q, kind) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    if (kind) params.set("kind", kind);
    var search = params.toString();
    try {
      history.replaceState(null, "", search ? "?" + search : location.pathname);
    } catch (e) {
      // Some browsers refuse to change the address of a file:// page;
      // the search still works.
    }
  }

  function updateCounts(counts) {
    form.querySelectorAll(".search-kind-count").forEach(function (el) {
      var n = counts ? counts[el.dataset.kind] || 0 : null;
      el.textContent = n === null ? "" : String(n);
    });
  }

  function fail(err) {
    setStatus("Search failed: " + err.message + ". Rebuild the site, or browse the lists.");
  }

  function run() {
    var q = input.value;
    var kind = kindValue();
    syncURL(q.trim(), kind);
    var query = parseQuery(q);
    var my = ++seq;
    if (query.terms.length === 0) {
      current = null;
      list.replaceChildren();
      list.hidden = true;
      more.hidden = true;
      updateCounts(null);
      setStatus(q.trim() ? "Type a word of two or more letters." : "");
      return;
    }
    var loaded = plan(query);
    Promise.all(loaded.map(function (n) { return load(shardFile(n)); })).then(function () {
      if (my !== seq) return;
      var scores = score(query, loaded), counts = {}, results = [];
      scores.forEach(function (s, d) {
        var k = kindOf(d)[0];
        counts[k] = (counts[k] || 0) + 1;
        if (!kind || kind === k) results.push([d, s]);
      });
      results.sort(function (a, b) { return b[1] - a[1] || b[0] - a[0]; });
      current = { query: query, q: q.trim(), kind: kind, results: results, shown: 0, counts: counts };
      list.replaceChildren();
      updateCounts(counts);
      return showMore(my, false);
    }).catch(function (err) { if (my === seq) fail(err); });
  }

  function showMore(my, focusNew) {
    var c = current;
    var page = c.results.slice(c.shown, c.shown + manifest.page);
    var packs = [];
    page.forEach(function (r) {
      var f = packFile(r[0]);
      if (packs.indexOf(f) < 0) packs.push(f);
    });
    return Promise.all(packs.map(load)).then(function () {
      if (my !== seq) return;
      var first = null;
      page.forEach(function (r) {
        var li = resultItem(r[0], c.query);
        list.appendChild(li);
        first = first || li;
      });
      c.shown += page.length;
      list.hidden = c.results.length === 0;
      more.hidden = c.shown >= c.results.length;
      var n = c.results.length;
      var where = c.kind ? " among " + manifest.kinds.filter(function (k) { return k[0] === c.kind; })[0][2].toLowerCase() : "";
      if (n === 0) {
        var all = Object.keys(c.counts).reduce(function (s, k) { return s + c.counts[k]; }, 0);
        setStatus("No results for “" + c.q + "”" + where + (all ? " (" + plural(all, "result", "results") + " in other kinds)." : "."));
      } else {
        setStatus(plural(n, "result", "results") + " for “" + c.q + "”" + where +
          (c.shown < n ? ", showing " + c.shown : "") + ".");
      }
      if (focusNew && first) first.querySelector("a").focus();
    });
  }

  var timer = 0;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  }

  function resultLinks() { return Array.from(list.querySelectorAll(".search-result-title a")); }

  function init() {
    app = document.getElementById("_search");
    if (!app) return;
    form = app.querySelector(".search-form");
    input = app.querySelector("#_q");
    status = app.querySelector("#_search-status");
    list = app.querySelector("#_search-results");
    more = app.querySelector(".search-more");
    if (!manifest) {
      status.textContent = "The search index is missing: build the site again, or browse the lists.";
      return;
    }
    stop = new Set(manifest.stop);
    digitValue = new Int8Array(128);
    for (var i = 0; i < manifest.digits.length; i++) digitValue[manifest.digits.charCodeAt(i)] = i;
    for (var j = 0; j < manifest.weights.length; j++) digitValue[manifest.weights.charCodeAt(j)] = -(j + 1);

    form.hidden = false;
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    var kind = params.get("kind") || "";
    form.querySelectorAll('input[name="kind"]').forEach(function (r) { r.checked = r.value === kind; });
    if (!form.querySelector('input[name="kind"]:checked')) form.querySelector('input[name="kind"]').checked = true;

    input.addEventListener("input", schedule);
    form.addEventListener("change", function (e) { if (e.target.name === "kind") run(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
    more.addEventListener("click", function () { if (current) showMore(seq, true).catch(fail); });

    // Arrow keys move between the box and the results; Escape goes back
    // to the box. Tab works as everywhere else.
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var links = resultLinks();
        if (links.length) { e.preventDefault(); links[0].focus(); }
      }
    });
    list.addEventListener("keydown", function (e) {
      var links = resultLinks(), i = links.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === "ArrowDown" && i + 1 < links.length) { e.preventDefault(); links[i + 1].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
      else if (e.key === "Escape") { e.preventDefault(); input.focus(); }
    });

    if (input.value) run(); else input.focus();
  }

  // Deferred scripts run before DOMContentLoaded, in order: by then the
  // manifest, which comes after this file, has registered itself.
  if (document.readyState === "complete") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
