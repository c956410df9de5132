// Dossier live reload. `dossier serve` adds this script to the pages it
// serves (never to built files). It listens to the server's events and
// reloads the page when the page changed, swaps stylesheets when only CSS
// changed, goes to the list page when the page's URL is gone, and shows
// build errors over the page until the next good build.
(() => {
  "use strict";
  const me = document.currentScript;
  const server = me.dataset.server;
  const missing = me.dataset.missing === "1"; // showing the 404 page
  let build = Number(me.dataset.build);
  let source = null;

  // The page's path as the server names pages: "/briefings/x/".
  const here = () => {
    let p = location.pathname;
    try { p = decodeURI(p); } catch (e) { /* keep it encoded */ }
    return p.endsWith("/index.html") ? p.slice(0, -"index.html".length) : p;
  };

  const overlayID = "_dossier-errors";
  const showErrors = (errors) => {
    let box = document.getElementById(overlayID);
    if (!box) {
      box = document.createElement("div");
      box.id = overlayID;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#fde8e8;border-bottom:4px solid #e5484d;" +
        "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 16px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    const title = document.createElement("p");
    title.style.cssText = "margin:0 0 .5rem;font-weight:bold;color:#fff";
    title.textContent = "The site does not build. The last good version is shown; fix these and it reloads:";
    const list = document.createElement("pre");
    list.style.cssText = "margin:0;white-space:pre-wrap;font:inherit";
    list.textContent = errors.join("\n");
    box.append(title, list);
  };
  const clearErrors = () => {
    const box = document.getElementById(overlayID);
    if (box) box.remove();
  };

  // Swap each matching stylesheet for a fresh copy; the old one goes when
  // the new one has loaded, so the page never shows unstyled.
  const swapCSS = (paths) => {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      let p = url.pathname;
      try { p = decodeURI(p); } catch (e) { /* keep it encoded */ }
      if (url.origin !== location.origin || !paths.includes(p)) continue;
      url.searchParams.set("dossier", String(Date.now()));
      const fresh = link.cloneNode();
      fresh.href = url.href;
      const drop = () => link.remove();
      fresh.addEventListener("load", drop, { once: true });
      fresh.addEventListener("error", drop, { once: true });
      link.after(fresh);
    }
  };

  const on = (name, handle) => source.addEventListener(name, (e) => handle(JSON.parse(e.data)));

  const connect = () => {
    source = new EventSource("/_dossier/events");
    on("hello", (m) => {
      // Another server (a restart) or builds missed while away.
      if (m.server !== server || m.build !== build) {
        location.reload();
        return;
      }
      if (m.errors && m.errors.length) showErrors(m.errors); else clearErrors();
      me.dataset.connected = "1"; // for tests: the page is listening
    });
    on("errors", (m) => showErrors(m.errors));
    on("build", (m) => {
      clearErrors();
      const p = here();
      if (m.gone && Object.prototype.hasOwnProperty.call(m.gone, p)) {
        location.replace(m.gone[p]);
        return;
      }
      if (m.all || (m.pages || []).includes(p) || (missing && m.missing)) {
        location.reload();
        return;
      }
      if (m.css && m.css.length) swapCSS(m.css);
      build = m.build;
    });
  };

  connect();
  // Browsers allow few connections per host: let go of this one when the
  // page is put away, and take a new one when it comes back.
  addEventListener("pagehide", () => { if (source) source.close(); source = null; });
  addEventListener("pageshow", (e) => { if (e.persisted && !source) connect(); });
})();
