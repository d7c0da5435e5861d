// Suggest help-center articles while the customer writes on the contact form (debounced).
(function () {
  var box = document.getElementById("kb-suggest");
  if (!box) return;
  var list = box.querySelector("ul"), timer = null, last = "", seq = 0;
  var fields = ["id_subject", "id_message"].map(function (id) { return document.getElementById(id); })
    .filter(Boolean);
  function query() { return fields.map(function (f) { return f.value; }).join(" ").trim(); }
  function render(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = item.url; a.textContent = item.title; a.target = "_blank"; a.rel = "noopener";
      li.appendChild(a); list.appendChild(li);
    });
    box.hidden = items.length === 0;
  }
  function run() {
    var q = query();
    if (q === last) return;
    last = q;
    if (q.length < 3) { render([]); return; }
    var mine = ++seq;
    fetch(box.dataset.url + "?q=" + encodeURIComponent(q.slice(0, 500)), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) { if (mine === seq) render(data.items || []); })
      .catch(function () {});
  }
  fields.forEach(function (f) {
    f.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 350); });
  });
})();
