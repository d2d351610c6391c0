// The article pages' enhancements; without JavaScript every mark is a link to its note
// further down the page, and every citation is selectable text.
// - Reading view: selecting a marked word shows its notes and the claims they list in
//   the side panel (#panel) instead of jumping down the page.
// - Everywhere: "Copy citation" buttons write the citation to the clipboard.
(function () {
  "use strict";

  function clone(node) {
    // A copy for the panel: ids prefixed so that they stay unique on the page.
    var copy = node.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (el) { el.id = "panel-" + el.id; });
    copy.querySelectorAll("[aria-labelledby]").forEach(function (el) {
      el.setAttribute("aria-labelledby", el.getAttribute("aria-labelledby").split(" ")
        .map(function (id) { return "panel-" + id; }).join(" "));
    });
    copy.querySelectorAll("button.copy").forEach(function (el) {
      el.dataset.copy = "panel-" + el.dataset.copy;
      el.hidden = false;
    });
    return copy;
  }

  function show(mark) {
    var body = document.getElementById("panel-body");
    var heading = document.getElementById("panel-heading");
    document.querySelectorAll("a.mark.selected").forEach(function (el) {
      el.classList.remove("selected");
      el.removeAttribute("aria-current");
    });
    mark.classList.add("selected");
    mark.setAttribute("aria-current", "true");
    body.textContent = "";
    var shown = {};
    mark.dataset.marks.split(" ").forEach(function (id) {
      var note = document.getElementById(id);
      if (!note) { return; }
      var copy = clone(note);
      copy.querySelectorAll(".back-to-text").forEach(function (el) { el.remove(); });
      body.appendChild(copy);
      note.querySelectorAll("ul.carried a").forEach(function (link) {
        var id = link.getAttribute("href").slice(1);
        var card = document.getElementById(id);
        if (card && !shown[id]) {
          shown[id] = true;
          body.appendChild(clone(card));
        }
      });
    });
    var back = document.createElement("button");
    back.type = "button";
    back.className = "back-to-mark";
    back.textContent = "Back to the text";
    back.addEventListener("click", function () { mark.focus(); });
    body.appendChild(back);
    heading.focus();
  }

  function copyCitation(button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copy-status");
    var text = source.textContent.trim();
    function done(message) { if (status) { status.textContent = message; } }
    function select() {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return selection;
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { done("Copied."); },
        function () { select(); done("Selected: press Ctrl+C (or ⌘C) to copy."); }
      );
    } else {
      select();
      done(document.execCommand("copy") ? "Copied." : "Selected: press Ctrl+C (or ⌘C) to copy.");
    }
  }

  document.querySelectorAll("button.copy[hidden]").forEach(function (el) { el.hidden = false; });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (button) {
      copyCitation(button);
      return;
    }
    var mark = event.target.closest("a.mark");
    if (mark && document.getElementById("panel")) {
      event.preventDefault();
      show(mark);
    }
  });

  // A link to a mark's note (/article#q-anti-terrorism) opens it in the panel.
  var id = decodeURIComponent(location.hash.slice(1));
  var target = id && document.querySelector('a.mark[data-marks~="' + CSS.escape(id) + '"]');
  if (target) {
    show(target);
    target.scrollIntoView({ block: "center" });
  }
})();
