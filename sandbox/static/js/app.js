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

// A trainee may close the facilitator's message; a newer message shows again.
(function () {
  var KEY = "lapor-message-closed";
  function apply() {
    var box = document.querySelector("[data-message]");
    if (box && sessionStorage.getItem(KEY) === box.dataset.message) box.hidden = true;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-close-message]");
    if (!button) return;
    var box = button.closest("[data-message]");
    sessionStorage.setItem(KEY, box.dataset.message);
    box.hidden = true;
  });
  document.addEventListener("DOMContentLoaded", apply);
  document.addEventListener("htmx:afterSettle", apply);
})();
