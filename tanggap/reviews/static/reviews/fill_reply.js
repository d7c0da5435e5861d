// "Use this template": copy the review's reply template into the ticket's reply box.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-fill-reply]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-fill-reply"));
  var box = document.getElementById("reply_body_text");
  if (!source || !box) return;
  box.value = source.textContent.trim();
  box.focus();
});
