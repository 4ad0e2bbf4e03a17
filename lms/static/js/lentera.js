/* Lentera: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  /* Drafts: nothing a trainee types is lost. The text is kept in localStorage
     until the server confirms it, and sent to the server about every 20 seconds.
     A stale save is refused by the server (version check); we then keep the
     local copy and say so instead of overwriting anything. */
  function initDraft(form) {
    var area = form.querySelector("textarea[name=text]");
    var versionInput = form.querySelector("input[name=draft_version]");
    var status = form.querySelector("[data-draft-status]");
    var key = form.getAttribute("data-storage-key");
    var url = form.getAttribute("data-autosave-url");
    if (!area || !key || !url || !window.localStorage) return;
    var lastSent = area.value;
    var saving = false;

    function say(text) { if (status) status.textContent = text; }
    function keepLocal() {
      try { localStorage.setItem(key, JSON.stringify({ text: area.value, version: Number(versionInput.value), at: Date.now() })); } catch (e) { /* storage full: the server copy still counts */ }
    }

    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (stored && typeof stored.text === "string" && stored.text !== area.value && stored.text.trim() !== "") {
      if (stored.version >= Number(versionInput.value)) {
        area.value = stored.text;
        say(document.documentElement.lang === "en" ? "Restored the text kept on this device; it is not saved on the server yet." : "Teks yang tersimpan di perangkat ini dipulihkan; belum tersimpan di server.");
      }
    }

    function save() {
      if (saving || area.value === lastSent) return;
      saving = true;
      var text = area.value;
      keepLocal();
      fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: JSON.stringify({ text: text, version: Number(versionInput.value) })
      }).then(function (response) {
        return response.json().then(function (body) { return { status: response.status, body: body }; });
      }).then(function (result) {
        if (result.status === 200) {
          versionInput.value = result.body.version;
          lastSent = text;
          if (area.value === text) { try { localStorage.removeItem(key); } catch (e) {} }
          say((document.documentElement.lang === "en" ? "Draft saved " : "Draf tersimpan ") + new Date().toLocaleTimeString());
        } else {
          say(result.body && result.body.error ? result.body.error.message : "…");
        }
      }).catch(function () {
        say(document.documentElement.lang === "en" ? "Offline: your text is kept on this device." : "Tidak ada koneksi: teks Anda disimpan di perangkat ini.");
      }).then(function () { saving = false; });
    }

    area.addEventListener("input", keepLocal);
    var seconds = Number(form.getAttribute("data-autosave-seconds")) || 20;
    setInterval(save, seconds * 1000);
    form.addEventListener("submit", function () { keepLocal(); });
  }

  /* A submit button that sends once: the server also refuses a repeat. */
  function initOnce(button) {
    var form = button.form;
    form.addEventListener("submit", function (event) {
      if (event.submitter === button) {
        setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  }

  /* Grading: live total by the course-format formula, keys to pick levels. */
  function initGrading(form) {
    var maxScore = Number(form.getAttribute("data-max-score"));
    var criteria = Array.prototype.slice.call(form.querySelectorAll("[data-criterion]"));
    var output = form.querySelector("[data-total]");
    var current = 0;

    function total() {
      var low = 0, high = 0, sum = 0, complete = true;
      criteria.forEach(function (fieldset) {
        var radios = fieldset.querySelectorAll("input[type=radio]");
        var points = Array.prototype.map.call(radios, function (r) { return Number(r.getAttribute("data-points")); });
        low += Math.min.apply(null, points); high += Math.max.apply(null, points);
        var checked = fieldset.querySelector("input[type=radio]:checked");
        if (checked) { sum += Number(checked.getAttribute("data-points")); } else { complete = false; }
      });
      if (!output) return;
      if (!complete) { output.textContent = "–"; return; }
      var grade = high === low ? maxScore : Math.round((sum - low) / (high - low) * maxScore * 10) / 10;
      output.textContent = String(grade);
    }
    function focus(index) {
      if (!criteria.length) return;
      current = Math.max(0, Math.min(criteria.length - 1, index));
      criteria.forEach(function (c, i) { c.classList.toggle("current", i === current); });
      criteria[current].scrollIntoView({ block: "nearest" });
    }
    form.addEventListener("change", total);
    document.addEventListener("keydown", function (event) {
      var tag = (event.target.tagName || "").toLowerCase();
      if (tag === "textarea" || tag === "input" && event.target.type === "text") return;
      if (event.key === "j") { focus(current + 1); }
      else if (event.key === "k") { focus(current - 1); }
      else if (/^[1-9]$/.test(event.key) && criteria[current]) {
        var radio = criteria[current].querySelector("input[data-key='" + event.key + "']");
        if (radio) { radio.checked = true; total(); focus(current + 1); }
      }
    });
    criteria.forEach(function (c, i) { c.addEventListener("click", function () { focus(i); }); });
    focus(0);
    total();
  }

  /* Quizzes on a phone: one question at a time. */
  function initQuiz(form) {
    if (window.innerWidth > 600) return;
    var questions = Array.prototype.slice.call(form.querySelectorAll(".question"));
    if (questions.length < 2) return;
    var submit = form.querySelector("button[type=submit]");
    var index = 0;
    var nav = document.createElement("div");
    nav.className = "actions";
    var prev = document.createElement("button"); prev.type = "button"; prev.className = "button secondary"; prev.textContent = "‹";
    var next = document.createElement("button"); next.type = "button"; next.className = "button secondary"; next.textContent = "›";
    nav.appendChild(prev); nav.appendChild(next);
    form.insertBefore(nav, submit);
    form.classList.add("one-at-a-time");
    function show(i) {
      index = Math.max(0, Math.min(questions.length - 1, i));
      questions.forEach(function (q, n) { q.classList.toggle("current", n === index); });
      prev.disabled = index === 0; next.disabled = index === questions.length - 1;
      submit.hidden = index !== questions.length - 1;
    }
    prev.addEventListener("click", function () { show(index - 1); });
    next.addEventListener("click", function () { show(index + 1); });
    show(0);
  }

  function initCopy(input) {
    var button = input.parentNode.querySelector("[data-copy-button]");
    if (!button || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () { navigator.clipboard.writeText(input.value); input.select(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-draft]").forEach(initDraft);
    document.querySelectorAll("button[data-once]").forEach(initOnce);
    document.querySelectorAll("form[data-grading]").forEach(initGrading);
    document.querySelectorAll("form[data-quiz]").forEach(initQuiz);
    document.querySelectorAll("[data-copy]").forEach(initCopy);
  });
})();
