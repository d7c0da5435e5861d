/* tanggap live chat widget. Plain JS, no framework, no inline script or style (CSP-friendly).
   Install: <script src="https://HELPDESK/chat/widget.js" data-channel="SLUG" async></script>
   Visitor text is only ever put on the page with textContent, never as HTML. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="/chat/widget.js"][data-channel]');
  if (!script || window.__tanggapChat) return;
  window.__tanggapChat = true;
  var base = new URL(script.src, location.href).origin;
  var slug = script.getAttribute("data-channel") || "chat";
  var api = base + "/chat/api/" + encodeURIComponent(slug) + "/";
  var storeKey = "tanggap-chat:" + base + ":" + slug;
  var htmlLang = (document.documentElement.getAttribute("lang") || "").toLowerCase().split(/[-_]/)[0];
  var lang = htmlLang === "ms" || htmlLang === "zsm" ? "ms" : htmlLang === "en" ? "en" : "id";
  var T = {
    id: {open: "Chat dengan kami", title: "Chat", placeholder: "Tulis pesan…", send: "Kirim", close: "Tutup",
      typing: "sedang mengetik…", agent: "Tim kami", you: "Anda", online: "Kami online dan siap membantu.",
      away: "Saat ini tidak ada yang online.", expect: "Kami akan menjawab mulai ", soon: "Kami akan segera menjawab.",
      byEmail: "Lanjutkan lewat email", emailLabel: "Email Anda", emailSave: "Simpan",
      contact: "Email atau nomor HP agar kami bisa menghubungi Anda", transcript: "Kirim salinan percakapan ke email",
      transcriptSent: "Salinan akan dikirim ke ", byEmailSet: "Balasan kami akan dikirim ke ", saved: "Tersimpan: ",
      error: "Pesan tidak terkirim: ", seen: "Dibaca"},
    ms: {open: "Chat dengan kami", title: "Chat", placeholder: "Tulis mesej…", send: "Hantar", close: "Tutup",
      typing: "sedang menaip…", agent: "Pasukan kami", you: "Anda", online: "Kami dalam talian dan sedia membantu.",
      away: "Tiada sesiapa dalam talian sekarang.", expect: "Kami akan menjawab mulai ", soon: "Kami akan menjawab tidak lama lagi.",
      byEmail: "Teruskan melalui e-mel", emailLabel: "E-mel anda", emailSave: "Simpan",
      contact: "E-mel atau nombor telefon supaya kami boleh menghubungi anda", transcript: "Hantar salinan perbualan ke e-mel",
      transcriptSent: "Salinan akan dihantar ke ", byEmailSet: "Jawapan kami akan dihantar ke ", saved: "Disimpan: ",
      error: "Mesej tidak dihantar: ", seen: "Dibaca"},
    en: {open: "Chat with us", title: "Chat", placeholder: "Write a message…", send: "Send", close: "Close",
      typing: "is typing…", agent: "Our team", you: "You", online: "We're online and happy to help.",
      away: "Nobody is online right now.", expect: "Expect an answer from ", soon: "We'll answer soon.",
      byEmail: "Continue by email", emailLabel: "Your email", emailSave: "Save",
      contact: "Email or phone so we can reach you", transcript: "Email me a copy of this chat",
      transcriptSent: "A copy will be sent to ", byEmailSet: "Our answers will be sent to ", saved: "Saved: ",
      error: "Message not sent: ", seen: "Seen"}
  }[lang];

  var link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = base + "/chat/widget.css";
  document.head.appendChild(link);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  var root = el("div", "tgc-root");
  root.setAttribute("data-tanggap-chat", slug);
  root.setAttribute("lang", lang);
  var launcher = el("button", "tgc-launcher", T.open);
  launcher.type = "button";
  var panel = el("section", "tgc-panel");
  panel.hidden = true;
  panel.setAttribute("aria-label", T.title);
  var head = el("header", "tgc-head");
  head.appendChild(el("strong", null, T.title));
  var closeBtn = el("button", "tgc-close", "×");
  closeBtn.type = "button";
  closeBtn.setAttribute("aria-label", T.close);
  head.appendChild(closeBtn);
  var status = el("p", "tgc-status");
  var list = el("ol", "tgc-messages");
  list.setAttribute("aria-live", "polite");
  var typing = el("p", "tgc-typing");
  typing.hidden = true;
  var form = el("form", "tgc-form");
  var input = el("textarea", "tgc-input");
  input.rows = 2;
  input.placeholder = T.placeholder;
  input.setAttribute("aria-label", T.placeholder);
  var sendBtn = el("button", "tgc-send", T.send);
  sendBtn.type = "submit";
  form.appendChild(input);
  form.appendChild(sendBtn);
  var errorLine = el("p", "tgc-error");
  errorLine.setAttribute("role", "alert");
  errorLine.hidden = true;
  var contact = el("form", "tgc-contact");
  var contactInput = el("input", "tgc-contact-input");
  contactInput.type = "text";
  contactInput.placeholder = T.contact;
  contactInput.setAttribute("aria-label", T.contact);
  var contactBtn = el("button", "tgc-contact-save", T.emailSave);
  contactBtn.type = "submit";
  contact.appendChild(contactInput);
  contact.appendChild(contactBtn);
  var offline = el("form", "tgc-offline");
  offline.hidden = true;
  var offlineInput = el("input", "tgc-offline-input");
  offlineInput.type = "email";
  offlineInput.placeholder = T.emailLabel;
  offlineInput.setAttribute("aria-label", T.emailLabel);
  var offlineBtn = el("button", "tgc-offline-save", T.byEmail);
  offlineBtn.type = "submit";
  offline.appendChild(offlineInput);
  offline.appendChild(offlineBtn);
  var transcriptBtn = el("button", "tgc-transcript", T.transcript);
  transcriptBtn.type = "button";
  var foot = el("p", "tgc-foot");
  [head, status, offline, list, typing, errorLine, form, contact, transcriptBtn, foot].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(panel);
  root.appendChild(launcher);

  var token = null, lastId = 0, seen = {}, source = null, email = "", started = false, typingTimer = null;
  try { token = localStorage.getItem(storeKey); } catch (e) { token = null; }

  function post(path, body) {
    body.token = token;
    return fetch(api + path, {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body), credentials: "omit", mode: "cors"}).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) throw new Error((data.error && data.error.message) || ("HTTP " + r.status));
        return data;
      });
    });
  }

  function showError(err) {
    errorLine.textContent = T.error + (err && err.message ? err.message : err);
    errorLine.hidden = false;
  }

  function note(text) { foot.textContent = text; }

  function add(ev) {
    if (!ev || seen[ev.id]) return;
    seen[ev.id] = true;
    if (ev.id > lastId) lastId = ev.id;
    if (ev.kind === "typing") {
      typing.textContent = (ev.author || T.agent) + " " + T.typing;
      typing.hidden = !ev.typing;
      clearTimeout(typingTimer);
      if (ev.typing) typingTimer = setTimeout(function () { typing.hidden = true; }, 6000);
      return;
    }
    if (ev.kind !== "message") return;
    if (ev.sender === "agent") typing.hidden = true;
    var li = el("li", "tgc-msg tgc-" + ev.sender);
    li.setAttribute("data-event", ev.id);
    li.appendChild(el("span", "tgc-who", ev.sender === "visitor" ? T.you : (ev.author || T.agent)));
    li.appendChild(el("span", "tgc-text", ev.text || ""));
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
    if (ev.sender === "agent" && !panel.hidden) markRead();
  }

  var readPending = false;
  function markRead() {
    if (readPending || !token) return;
    readPending = true;
    setTimeout(function () {
      readPending = false;
      post("read", {up_to: lastId}).catch(function () {});
    }, 300);
  }

  function availability(a) {
    if (!a) return;
    if (a.online) { status.textContent = T.online; offline.hidden = true; return; }
    var text = T.away + " ";
    if (a.next_open && !a.open_now) {
      var when = new Date(a.next_open);
      var tag = {id: "id-ID", ms: "ms-MY", en: "en-GB"}[lang];
      text += T.expect + when.toLocaleString(tag, {weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit"}) + ".";
    } else {
      text += T.soon;
    }
    status.textContent = text;
    offline.hidden = !!email;
  }

  function connect() {
    if (source) source.close();
    source = new EventSource(api + "stream?token=" + encodeURIComponent(token) + "&after=" + lastId);
    source.onmessage = function (m) {
      try { add(JSON.parse(m.data)); } catch (e) { /* a malformed frame is skipped */ }
    };
  }

  function start() {
    if (started) return Promise.resolve();
    started = true;
    return post("session", {lang: lang, page: location.href}).then(function (data) {
      token = data.token;
      try { localStorage.setItem(storeKey, token); } catch (e) { /* private mode: this page only */ }
      email = data.email || "";
      if (data.limits) input.maxLength = data.limits.max_message_chars;
      (data.events || []).forEach(add);
      availability(data.availability);
      if (data.by_email) note(T.byEmailSet + email);
      connect();
    }, function (err) { started = false; showError(err); });
  }

  launcher.addEventListener("click", function () {
    panel.hidden = !panel.hidden;
    launcher.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) { start().then(function () { input.focus(); markRead(); }); }
  });
  closeBtn.addEventListener("click", function () { panel.hidden = true; launcher.setAttribute("aria-expanded", "false"); });

  var counter = 0;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    errorLine.hidden = true;
    var clientId = Date.now().toString(36) + "-" + (counter++) + "-" + Math.random().toString(36).slice(2, 8);
    sendBtn.disabled = true;
    start().then(function () { return post("messages", {text: text, client_id: clientId}); }).then(function (data) {
      input.value = "";
      add(data.event);
    }).catch(showError).then(function () { sendBtn.disabled = false; });
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit")); }
  });

  contact.addEventListener("submit", function (e) {
    e.preventDefault();
    var value = contactInput.value.trim();
    if (!value) return;
    var body = value.indexOf("@") > 0 ? {email: value} : {phone: value};
    start().then(function () { return post("identify", body); }).then(function (data) {
      email = data.email || email;
      contactInput.value = "";
      note(T.saved + (data.email || data.phone));
    }).catch(showError);
  });

  offline.addEventListener("submit", function (e) {
    e.preventDefault();
    var value = offlineInput.value.trim();
    if (!value) return;
    start().then(function () { return post("continue-by-email", {email: value}); }).then(function (data) {
      email = data.email;
      offline.hidden = true;
      note(T.byEmailSet + data.email);
    }).catch(showError);
  });

  transcriptBtn.addEventListener("click", function () {
    var value = email || contactInput.value.trim() || offlineInput.value.trim();
    if (!value) { contactInput.focus(); note(T.contact); return; }
    start().then(function () { return post("transcript", {email: value}); }).then(function (data) {
      email = data.email;
      note(T.transcriptSent + data.email);
    }).catch(showError);
  });

  function mount() { document.body.appendChild(root); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
