// Shows a short Indonesian message when an htmx request fails, instead of doing nothing.
(function () {
  function toast(message) {
    var box = document.getElementById("toast");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 6000);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var text = "Permintaan gagal (" + xhr.status + ").";
    var match = /<p class="error-message">([^<]*)<\/p>/.exec(xhr.responseText || "");
    if (match) text = match[1];
    toast(text);
  });
  document.addEventListener("htmx:sendError", function () {
    toast("Tidak terhubung ke server. Periksa jaringan, lalu coba lagi.");
  });
})();

// The projector: animate each leaderboard reveal once, and go full screen on request.
(function () {
  var KEY = "lapor-reveal-seen";
  function animateReveal(root) {
    var board = (root || document).querySelector("#board");
    if (!board || !board.dataset.reveal) return;
    var seen = sessionStorage.getItem(KEY);
    if (seen === null && !board.dataset.revealFresh) {
      sessionStorage.setItem(KEY, board.dataset.reveal);  // opened long after: no show
      return;
    }
    if (seen === board.dataset.reveal) return;
    sessionStorage.setItem(KEY, board.dataset.reveal);
    // Each row's place in the rise, through the CSSOM: a style attribute would break the CSP.
    board.querySelectorAll(".board-row[data-n]").forEach(function (row) {
      row.style.setProperty("--n", row.dataset.n);
    });
    board.classList.add("revealing");
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.classList.contains("projector")) animateReveal(document);
    var button = document.querySelector("[data-fullscreen]");
    if (button) button.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    });
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (document.body.classList.contains("projector")) animateReveal(document);
  });
})();

// A trainee may close the facilitator's message; a newer message shows again (the page's
// pulse swaps in the whole message slot when the message changes). Closed means removed:
// the banner's own display rule would override a `hidden` attribute.
(function () {
  var KEY = "lapor-message-closed";
  function apply() {
    var box = document.querySelector("[data-message]");
    if (box && sessionStorage.getItem(KEY) === box.dataset.message) box.remove();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-close-message]");
    if (!button) return;
    var box = button.closest("[data-message]");
    sessionStorage.setItem(KEY, box.dataset.message);
    box.remove();
  });
  document.addEventListener("DOMContentLoaded", apply);
  document.addEventListener("htmx:afterSettle", apply);
})();

// The page's behaviour lives here, not in attributes, so the Content-Security-Policy can
// refuse all inline script (sandbox/web/security.py).
(function () {
  // data-confirm="question": asked on a form's submit, or on a link's or button's click.
  // Cancelling stops the step before htmx or the browser acts on it.
  function ask(element, event) {
    if (!element || window.confirm(element.dataset.confirm)) return;
    event.preventDefault();
    event.stopPropagation();
  }
  document.addEventListener("submit", function (event) {
    ask(event.target.closest("form[data-confirm]"), event);
  }, true);
  document.addEventListener("click", function (event) {
    ask(event.target.closest("a[data-confirm], button[data-confirm]"), event);
  }, true);

  // data-print: a button that opens the browser's print dialog.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  // data-poll-pause="selector": a self-refreshing area (on a timer, or on the event the
  // page's pulse sends) skips its refresh while it contains a match, so the report
  // workspace never replaces a form the trainee is filling in. htmx asks htmx:confirm
  // before every request, whatever triggered it.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    var selector = elt.dataset && elt.dataset.pollPause;
    if (selector && elt.querySelector(selector)) event.preventDefault();
  });
})();
