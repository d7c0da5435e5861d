// Insert a suggested article's title and portal link into the ticket's reply box, in one click.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".kb-insert");
  if (!button) return;
  var box = document.querySelector("#reply textarea[name=body_text]") || document.querySelector("textarea[name=body_text]");
  if (!box) return;
  var line = button.dataset.title + ": " + button.dataset.url;
  var start = box.selectionStart, end = box.selectionEnd, text = box.value;
  if (typeof start !== "number" || document.activeElement !== box) { start = end = text.length; }
  var before = text.slice(0, start), after = text.slice(end);
  var glue = before && !before.endsWith("\n") ? "\n" : "";
  box.value = before + glue + line + "\n" + after;
  var caret = (before + glue + line + "\n").length;
  box.focus();
  box.setSelectionRange(caret, caret);
  box.dispatchEvent(new Event("input", { bubbles: true }));
});
