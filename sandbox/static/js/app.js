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

// The projector's clock: each poll brings the server's simulated time, its rate and the real
// seconds left (#room-clock's data-*); between polls the page ticks them on from there, never
// past data-until (the working day's close or the planned end: the next poll brings the jump).
// Optional sound cues (off unless switched on here; the choice is kept in localStorage): a
// short tone made with the Web Audio API when the session starts, when it is paused, and when
// five minutes are left. No audio file is fetched.
(function () {
  var SOUND_KEY = "lapor-projector-sound";
  var base = null, lastState = null, lastLeft = null, audio = null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function parse(text) {  // naive ISO "2026-03-02T10:14:00" as a local Date: no zone games
    var m = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+)(?::(\d+))?/.exec(text || "");
    return m ? new Date(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0)) : null;
  }
  function countdown(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }
  function soundOn() { return localStorage.getItem(SOUND_KEY) === "on"; }
  function tone(pattern) {  // pattern: [[frequency, start, length], ...] in seconds
    if (!soundOn() || !window.AudioContext) return;
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
    pattern.forEach(function (step) {
      var osc = audio.createOscillator(), gain = audio.createGain(), at = audio.currentTime + step[1];
      osc.frequency.value = step[0];
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.4, at + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + step[2]);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + step[2] + 0.05);
    });
  }
  var CUES = {
    start: [[660, 0, .25], [880, .25, .45]],
    pause: [[880, 0, .25], [587, .25, .5]],
    fiveMinutes: [[988, 0, .18], [988, .3, .18], [988, .6, .3]]
  };

  function read() {
    var box = document.getElementById("room-clock");
    var room = document.getElementById("room");
    if (!box || !room) { base = null; return; }
    var state = room.dataset.state;
    if (lastState && lastState !== state) {
      if (state === "berjalan") tone(CUES.start);
      else if (state === "dijeda") tone(CUES.pause);
    }
    lastState = state;
    base = {
      at: performance.now(), sim: parse(box.dataset.sim), until: parse(box.dataset.until),
      rate: parseFloat(box.dataset.rate) || 0,
      left: box.dataset.left === "" ? null : parseInt(box.dataset.left, 10)
    };
  }
  function tick() {
    if (!base || !base.sim) return;
    var real = (performance.now() - base.at) / 1000;
    if (base.rate > 0) {
      var sim = new Date(Math.min(base.sim.getTime() + real * base.rate * 1000,
                                  base.until ? base.until.getTime() : Infinity));
      var time = document.getElementById("room-time");
      if (time) time.textContent = pad(sim.getHours()) + ":" + pad(sim.getMinutes());
    }
    var left = document.getElementById("room-left");
    if (left && base.left !== null) {
      var now = Math.max(0, Math.round(base.left - (base.rate > 0 ? real : 0)));
      left.textContent = countdown(now);
      left.classList.toggle("low", now <= 300);
      if (base.rate > 0 && lastLeft !== null && lastLeft > 300 && now <= 300) tone(CUES.fiveMinutes);
      lastLeft = now;
    }
  }
  function showSwitch(button) {
    button.setAttribute("aria-pressed", soundOn() ? "true" : "false");
    button.textContent = soundOn() ? "Bunyi: nyala" : "Bunyi: mati";
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.getElementById("room")) return;
    read();
    tick();
    setInterval(tick, 250);
    var button = document.querySelector("[data-sound]");
    if (button) {
      showSwitch(button);
      button.addEventListener("click", function () {
        localStorage.setItem(SOUND_KEY, soundOn() ? "off" : "on");
        showSwitch(button);
        tone(CUES.start);  // a click may start audio: the browser allows it only after one
      });
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (document.getElementById("room")) { read(); tick(); }
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

// Issue 16: the page's self-refresh respects the person, and action forms lose nothing.
// - A polled region (data-polled: the inbox, the report workspace) that holds the focus or
//   an unsaved change (a field edited, a select changed but not applied) is not swapped.
//   What the refresh brought is said in #poll-news (aria-live="polite"), never by moving
//   focus; the region refreshes once focus leaves it, or on «Tampilkan pembaruan».
// - A <details> the person opened or closed (with an id) stays so across refreshes.
// - After an action is saved, focus goes to its notice, scrolled into view (a phone too).
// - Action forms (form[data-draft]) keep a draft in localStorage until the action is saved,
//   and over-long text is named before sending instead of being cut by a maxlength.
(function () {
  var DETAILS_KEY = "lapor-details";
  var newsTimer = null;

  function atDefault(field) {
    if (field.type === "hidden" || field.disabled || !field.name) return true;
    if (field.type === "checkbox" || field.type === "radio") return field.checked === field.defaultChecked;
    if (field.tagName === "SELECT") {
      for (var i = 0; i < field.options.length; i++) {
        var option = field.options[i];
        if (field.multiple ? option.selected !== option.defaultSelected : false) return false;
      }
      if (field.multiple) return true;
      var wanted = 0;
      for (var j = 0; j < field.options.length; j++) if (field.options[j].defaultSelected) wanted = j;
      return field.selectedIndex === wanted;
    }
    return field.value === field.defaultValue;
  }
  function unsaved(root) {
    var fields = root.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) if (!atDefault(fields[i])) return true;
    return false;
  }
  // The focus holds a region where a person has their place: a field they type in, or a
  // link or button reached by keyboard (:focus-visible; a mouse click on «Jeda waktu»
  // does not stop the clock's display). Focus the page put on a notice (tabindex="-1")
  // does not either: the region refreshes and the focus goes to its new heading.
  var refocus = null;
  function keyboardFocus(element) {
    if (element.matches("textarea, select, input:not([type=checkbox]):not([type=radio])")) return true;
    try { return element.matches(":focus-visible"); } catch (e) { return true; }
  }
  function holdsFocus(region) {
    var active = document.activeElement;
    return !!active && active !== document.body && region.contains(active) &&
      active.getAttribute("tabindex") !== "-1" && keyboardFocus(active);
  }
  function busy(region) { return holdsFocus(region) || unsaved(region); }

  function newsOf(region, fresh) {
    if (region.dataset.polled === "inbox") {
      var seen = {}, count = 0;
      region.querySelectorAll("[data-no]").forEach(function (row) { seen[row.dataset.no] = true; });
      fresh.querySelectorAll("[data-no]").forEach(function (row) { if (!seen[row.dataset.no]) count++; });
      return count ? count + " laporan baru" : "";
    }
    var more = fresh.querySelectorAll(".timeline li").length - region.querySelectorAll(".timeline li").length;
    return more > 0 ? "Laporan ini diperbarui: " + more + " riwayat baru" : "";
  }
  function say(text, pending) {
    var news = document.getElementById("poll-news"), button = document.getElementById("poll-refresh");
    if (!news) return;
    if (news.textContent !== text && (text || !pending)) news.textContent = text;
    if (button) button.hidden = !pending;
    clearTimeout(newsTimer);
    if (!pending && text) newsTimer = setTimeout(function () { news.textContent = ""; }, 10000);
  }
  function refresh(region) {
    region.dataset.force = "1";
    htmx.ajax("GET", region.getAttribute("hx-get"), {source: region, target: region, swap: "outerHTML"});
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    // Only the region's own refresh (the element that sent it is the region itself), not a
    // click or a form inside it that targets it. detail.elt is the target here.
    var detail = event.detail, region = detail.requestConfig && detail.requestConfig.elt;
    if (!region || !region.dataset || !region.dataset.polled || detail.target !== region) return;
    if (!detail.shouldSwap || !detail.serverResponse) return;
    var fresh = document.createElement("template");
    fresh.innerHTML = detail.serverResponse;  // inert: nothing in a <template> runs or loads
    var text = newsOf(region, fresh.content);
    if (region.dataset.force !== "1" && busy(region)) {
      detail.shouldSwap = false;
      region.dataset.stale = "1";
      say(text, true);
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body && region.contains(active)) refocus = region.id;
    say(text, false);
  });
  document.addEventListener("focusout", function (event) {
    var region = event.target.closest && event.target.closest("[data-polled][data-stale]");
    if (!region) return;
    setTimeout(function () {  // once the focus has landed where it goes
      if (region.isConnected && region.dataset.stale === "1" && !busy(region)) refresh(region);
    }, 0);
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("#poll-refresh")) {
      document.querySelectorAll("[data-polled][data-stale]").forEach(refresh);
      say("", false);
      return;
    }
    var summary = event.target.closest("summary"), details = summary && summary.parentElement;
    if (!details || details.tagName !== "DETAILS" || !details.id || !details.closest("[data-polled]")) return;
    setTimeout(function () {  // after the toggle, the click's own default action
      var chosen = readDetails();
      chosen[details.id] = details.open;
      try { sessionStorage.setItem(DETAILS_KEY, JSON.stringify(chosen)); } catch (e) { /* full */ }
    }, 0);
  });
  function readDetails() {
    try { return JSON.parse(sessionStorage.getItem(DETAILS_KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function keepDetails() {
    var chosen = readDetails();
    Object.keys(chosen).forEach(function (id) {
      var details = document.getElementById(id);
      if (details && details.tagName === "DETAILS" && details.closest("[data-polled]")) details.open = !!chosen[id];
    });
  }

  // Drafts: one JSON object per form in localStorage, under the form's data-draft key.
  function draftFields(form) { return form.querySelectorAll("input:not([type=hidden]), select, textarea"); }
  function readForm(form) {
    var values = {}, any = false;
    draftFields(form).forEach(function (field) {
      if (!field.name) return;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) { values[field.name + "=" + field.value] = true; any = true; }
      } else {
        values[field.name] = field.value;
        if (field.value.trim()) any = true;
      }
    });
    return any ? values : null;
  }
  function keepDraft(form) {
    var values = readForm(form);
    try {
      if (values) localStorage.setItem(form.dataset.draft, JSON.stringify(values));
      else localStorage.removeItem(form.dataset.draft);
    } catch (e) { /* storage full or refused: the form still works */ }
  }
  function restoreDraft(form) {
    form.dataset.draftSeen = "1";
    if (readForm(form)) { keepDraft(form); return; }  // a refused submit came back filled in
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(form.dataset.draft) || "null"); } catch (e) { saved = null; }
    if (!saved) return;
    draftFields(form).forEach(function (field) {
      if (!field.name) return;
      if (field.type === "checkbox" || field.type === "radio") field.checked = !!saved[field.name + "=" + field.value];
      else if (typeof saved[field.name] === "string") field.value = saved[field.name];
    });
    var note = document.createElement("p");
    note.className = "draft-note";
    note.id = "draft-note";
    note.setAttribute("role", "status");
    note.textContent = "Draf dipulihkan (tersimpan di perangkat ini sampai aksi disimpan). ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link";
    discard.dataset.draftDiscard = "";
    discard.textContent = "Buang draf";
    note.appendChild(discard);
    var heading = form.querySelector("h3");
    if (heading) heading.insertAdjacentElement("afterend", note); else form.prepend(note);
    form.querySelectorAll("[data-max]").forEach(checkLength);
  }
  document.addEventListener("click", function (event) {
    var discard = event.target.closest("[data-draft-discard]");
    var form = discard && discard.closest("form[data-draft]");
    if (!form) return;
    try { localStorage.removeItem(form.dataset.draft); } catch (e) { /* nothing kept */ }
    form.reset();
    discard.parentElement.remove();
    form.querySelectorAll("[data-max]").forEach(checkLength);
  });

  // Over-long text, counted as the server counts it: trimmed, in characters (not UTF-16
  // units), each line break sent as CR LF.
  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  function sentLength(text) {
    var trimmed = text.trim();
    return Array.from(trimmed).length + (trimmed.match(/\n/g) || []).length;
  }
  function checkLength(field) {
    var max = parseInt(field.dataset.max, 10);
    if (!max) return true;
    var id = "len-" + field.id, note = document.getElementById(id), length = sentLength(field.value);
    if (length <= max) {
      if (note) note.remove();
      if (field.dataset.tooLong) {
        delete field.dataset.tooLong;
        field.removeAttribute("aria-invalid");
      }
      return true;
    }
    if (!note) {
      note = document.createElement("p");
      note.id = id;
      note.className = "field-error length-note";
      note.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", note);
    }
    note.textContent = (field.dataset.maxLabel || "Isian") + " " + thousands(length) +
      " karakter, batasnya " + thousands(max) + ": pendekkan " + thousands(length - max) +
      " karakter sebelum menyimpan.";
    field.dataset.tooLong = "1";
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", id);
    return false;
  }
  function onEdit(event) {
    var form = event.target.closest && event.target.closest("form[data-draft]");
    if (!form) return;
    if (event.target.dataset && event.target.dataset.max) checkLength(event.target);
    keepDraft(form);
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-draft]");
    if (!form) return;
    var first = null;
    form.querySelectorAll("[data-max]").forEach(function (field) {
      if (!checkLength(field) && !first) first = field;
    });
    if (!first) return;
    event.preventDefault();  // before htmx or the browser sends it
    event.stopPropagation();
    first.focus();
  }, true);

  function settle(event) {
    keepDetails();
    var region = refocus && document.getElementById(refocus);
    refocus = null;
    if (region) {
      var heading = region.querySelector("h1") || region;
      heading.setAttribute("tabindex", "-1");
      heading.focus({preventScroll: true});  // where the reader was stays in view
    }
    document.querySelectorAll("[data-draft-done]").forEach(function (notice) {
      try { localStorage.removeItem(notice.dataset.draftDone); } catch (e) { /* nothing kept */ }
      notice.removeAttribute("data-draft-done");
    });
    document.querySelectorAll("form[data-draft]:not([data-draft-seen])").forEach(restoreDraft);
    var notice = document.querySelector("[data-focus-me]");
    if (notice) {
      notice.removeAttribute("data-focus-me");
      notice.focus({preventScroll: true});
      notice.scrollIntoView({block: "center"});
      return;
    }
    var config = event && event.detail && event.detail.requestConfig;
    // A refused form: its first error. The event fires on the new, settled element.
    if (config && config.verb === "post" && event.target && event.target.querySelector) {
      var invalid = event.target.querySelector("form [aria-invalid=true], form .form-error");
      if (invalid) {
        if (!invalid.matches("input, select, textarea")) invalid.setAttribute("tabindex", "-1");
        invalid.focus({preventScroll: true});
        invalid.scrollIntoView({block: "center"});
      }
    }
  }
  document.addEventListener("DOMContentLoaded", function () { settle(null); });
  document.addEventListener("htmx:afterSettle", settle);
})();
