// Live reload for `briefgen serve` (never part of a built site): reload after a rebuild, show build errors.
(function () {
  "use strict";
  var script = document.currentScript;
  var pageBuild = Number(new URL(script.src).searchParams.get("build"));
  var overlay = null;

  function showErrors(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "briefgen-error-overlay";
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-label", "Build errors");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("h2");
    title.textContent = "The site could not be rebuilt";
    title.style.cssText = "color:#ff8a80;font:bold 1.25rem system-ui,sans-serif;margin:0 0 1rem";
    overlay.appendChild(title);
    errors.forEach(function (text) {
      var line = document.createElement("pre");
      line.className = "briefgen-error";
      line.textContent = text;
      line.style.cssText = "white-space:pre-wrap;margin:0 0 .75rem;padding:.75rem;background:#000;border-left:4px solid #ff8a80";
      overlay.appendChild(line);
    });
    var hint = document.createElement("p");
    hint.textContent = "Fix the file and save: this page reloads by itself.";
    overlay.appendChild(hint);
  }

  var events = new EventSource("/__briefgen/events");
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.errors.length) {
      showErrors(state.errors);
    } else if (state.pages.length && state.pages.indexOf(window.location.pathname) < 0) {
      return;  // only some pages are rebuilt yet; this one follows with the rest of the site
    } else if (state.build !== pageBuild) {
      window.location.reload();
    } else if (overlay) {
      overlay.remove();
      overlay = null;
    }
  };
})();
