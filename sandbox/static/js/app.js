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
