// Put a suggested reply template into the ticket's reply box, in one click (at the caret, or
// at the end when the box is not focused).
document.addEventListener("click", function (event) {
  var button = event.target.closest(".reply-insert");
  if (!button) return;
  var source = document.getElementById(button.dataset.source);
  var box = document.querySelector("#reply textarea[name=body_text]") || document.querySelector("textarea[name=body_text]");
  if (!source || !box) return;
  var text = source.textContent;
  var start = box.selectionStart, end = box.selectionEnd, value = box.value;
  if (typeof start !== "number" || document.activeElement !== box) { start = end = value.length; }
  var before = value.slice(0, start), after = value.slice(end);
  var glue = before && !before.endsWith("\n") ? "\n" : "";
  box.value = before + glue + text + after;
  var caret = (before + glue + text).length;
  box.focus();
  box.setSelectionRange(caret, caret);
  box.dispatchEvent(new Event("input", { bubbles: true }));
});
