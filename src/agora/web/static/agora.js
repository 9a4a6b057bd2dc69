// Agora's only script. Every page works without it: it only saves reloads for votes, replies and sorting.
// Forms still post to the same URLs with their CSRF token; the header X-Agora-Fetch asks for JSON back.
"use strict";

async function send(form, submitter) {
  const data = new FormData(form);
  if (submitter && submitter.name) data.set(submitter.name, submitter.value);
  const response = await fetch(form.action, {
    method: "POST",
    body: data,
    credentials: "same-origin",
    headers: { "X-Agora-Fetch": "1" },
  });
  if (response.redirected) {
    // Not logged in (or the session ended): the server sent us to the login page.
    window.location.assign(response.url);
    return null;
  }
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = { error: "Something went wrong; reload the page and try again." };
  }
  if (!response.ok && !body.error) body.error = "That did not work (" + response.status + ").";
  return body;
}

function showError(form, message) {
  let box = form.querySelector(".error[data-from-script]");
  if (!box) {
    box = document.createElement("p");
    box.className = "error";
    box.setAttribute("role", "alert");
    box.dataset.fromScript = "";
    form.appendChild(box);
  }
  box.textContent = message;
}

function setVote(form, score, myVote) {
  form.dataset.vote = String(myVote);
  const up = form.querySelector("button.up");
  const down = form.querySelector("button.down");
  if (up) {
    up.value = myVote === 1 ? "0" : "1";
    up.setAttribute("aria-pressed", String(myVote === 1));
  }
  if (down) {
    down.value = myVote === -1 ? "0" : "-1";
    down.setAttribute("aria-pressed", String(myVote === -1));
  }
  form.querySelectorAll(".score").forEach((el) => { el.textContent = String(score); });
  const comment = form.closest("li.comment");
  if (comment) {
    const shown = comment.querySelector(":scope > p.meta [data-score-of]");
    if (shown) shown.textContent = String(score);
  }
}

async function vote(form, submitter) {
  const body = await send(form, submitter);
  if (!body) return;
  if (body.error) return showError(form, body.error);
  setVote(form, body.score, body.my_vote);
}

function insertComment(form, html) {
  const holder = document.createElement("ol");
  holder.innerHTML = html;
  const item = holder.firstElementChild;
  const parent = form.querySelector("input[name=parent_id]");
  let list = document.getElementById("tree");
  if (parent && parent.value) {
    const li = document.getElementById("c" + parent.value);
    list = li && li.querySelector(":scope > details > ol.children");
  }
  if (!list || !item) {
    window.location.reload();
    return;
  }
  list.prepend(item);
  item.scrollIntoView({ block: "nearest" });
}

// The post's comment count, wherever the page shows it, as the server counts it after this comment.
function showCommentCount(form, count) {
  const post = form.querySelector("input[name=post_id]");
  if (!post || typeof count !== "number") return;
  document.querySelectorAll('[data-comments-of="p' + post.value + '"]').forEach((el) => {
    el.textContent = count + (count === 1 ? " comment" : " comments");
  });
}

async function comment(form) {
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  try {
    const body = await send(form, null);
    if (!body) return;
    if (body.error) return showError(form, body.error);
    insertComment(form, body.html);
    showCommentCount(form, body.comments);
    if (form.closest(".reply-holder")) {
      form.closest(".reply-holder").remove();
    } else {
      form.reset();
      const box = form.querySelector(".error[data-from-script]");
      if (box) box.remove();
    }
  } finally {
    if (button) button.disabled = false;
  }
}

function openReply(link) {
  const li = link.closest("li.comment");
  const template = document.getElementById("reply-template");
  if (!li || !template) return false;
  const existing = li.querySelector(":scope > details > .reply-holder");
  if (existing) {
    existing.querySelector("textarea").focus();
    return true;
  }
  const holder = document.createElement("div");
  holder.className = "reply-holder";
  holder.appendChild(template.content.cloneNode(true));
  const parentId = link.dataset.parent;
  holder.querySelector("input[name=parent_id]").value = parentId;
  const textarea = holder.querySelector("textarea");
  const label = holder.querySelector("label");
  textarea.id = "content-" + parentId;
  label.htmlFor = textarea.id;
  const actions = li.querySelector(":scope > details > ul.actions");
  actions.after(holder);
  textarea.focus();
  return true;
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("form.vote")) {
    event.preventDefault();
    vote(form, event.submitter);
  } else if (form.matches("form[data-enhance=comment]")) {
    event.preventDefault();
    comment(form);
  }
});

document.addEventListener("click", (event) => {
  const link = event.target.closest("a.reply-link");
  if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && openReply(link)) {
    event.preventDefault();
  }
});

// A sort chosen with the mouse applies at once. Keyboard users move through the options with the arrow keys,
// which fire "change" on every step, so for them the form waits for its button.
let pointerChoice = false;
document.addEventListener("pointerdown", (event) => {
  pointerChoice = Boolean(event.target.closest("form[data-autosubmit] select"));
});
document.addEventListener("keydown", () => { pointerChoice = false; });
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && pointerChoice && event.target.matches("select")) form.submit();
});
