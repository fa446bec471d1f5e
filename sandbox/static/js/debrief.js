// Debrief pages: projector clickers send PageUp/PageDown or the arrow keys, so those keys
// follow the page's own previous/next links (marked data-nav). Without JS the links work alone.
(function () {
  var keys = { ArrowLeft: "prev", PageUp: "prev", ArrowRight: "next", PageDown: "next" };
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var tag = (event.target && event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || tag === "button") return;
    var which = keys[event.key];
    if (!which) return;
    var link = document.querySelector('[data-nav="' + which + '"]');
    if (!link) return;
    event.preventDefault();
    link.click();
  });
})();
