/* Agent side of live chat: the live chat console's list and the chat ticket's panel.
   Everything from visitors is put on the page with textContent (never as HTML). */
(function () {
  "use strict";
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var i = document.querySelector("input[name=csrfmiddlewaretoken]");
    return i ? i.value : "";
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  var chats = document.getElementById("livechat-chats");
  if (chats && !chats.dataset.live) {
    chats.dataset.live = "1";
    var body = chats.querySelector("tbody");
    var es = new EventSource(chats.dataset.streamUrl);
    es.onmessage = function (m) {
      var ev = JSON.parse(m.data);
      if (ev.kind !== "message" || !ev.ticket_id) return;
      var row = body.querySelector('tr[data-ticket="' + ev.ticket_id + '"]');
      var empty = body.querySelector(".livechat-empty");
      if (empty) empty.remove();
      if (!row) {
        row = el("tr");
        row.setAttribute("data-ticket", ev.ticket_id);
        var a = el("a", null, "#" + ev.ticket_id);
        a.href = "/tickets/" + ev.ticket_id + "/";
        var td = el("td"); td.appendChild(a);
        row.appendChild(td);
        row.appendChild(el("td", null, chats.dataset.new));
        row.appendChild(el("td", "livechat-last"));
      }
      row.querySelector(".livechat-last").textContent = ev.text || "";
      body.insertBefore(row, body.firstChild);
    };
  }

  var panel = document.getElementById("livechat-panel");
  if (panel && !panel.dataset.live) {
    panel.dataset.live = "1";
    var feed = document.getElementById("livechat-feed");
    var seenLine = document.getElementById("livechat-seen");
    var stream = new EventSource(panel.dataset.streamUrl);
    stream.onmessage = function (m) {
      var ev = JSON.parse(m.data);
      if (ev.kind === "read" && ev.sender === "visitor") {
        seenLine.textContent = panel.dataset.seen;
        seenLine.hidden = false;
        return;
      }
      if (ev.kind !== "message" || ev.sender !== "visitor") return;
      var li = el("li", "livechat-msg");
      li.setAttribute("data-event", ev.id);
      li.appendChild(el("strong", null, panel.dataset.you + ": "));
      li.appendChild(el("span", "livechat-text", ev.text || ""));
      feed.appendChild(li);
      seenLine.hidden = true;
    };
    var box = document.querySelector("#reply textarea");
    var typing = false, idle = null, lastSent = 0;
    function send(state) {
      var data = new FormData();
      data.append("typing", state ? "1" : "0");
      fetch(panel.dataset.typingUrl, {method: "POST", body: data, headers: {"X-CSRFToken": csrf()},
        credentials: "same-origin"}).catch(function () {});
    }
    if (box) {
      box.addEventListener("input", function () {
        var now = Date.now();
        if (!typing || now - lastSent > 4000) { typing = true; lastSent = now; send(true); }
        clearTimeout(idle);
        idle = setTimeout(function () { typing = false; send(false); }, 3000);
      });
    }
  }
})();
