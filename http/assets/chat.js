// Live chat for the customer's chat page and the agent console: messages
// arrive over a WebSocket and the form sends over it; without JavaScript
// or a connection, the page and its form work as plain HTML. Besides
// messages the socket carries the other side's typing (shown for a few
// seconds, never stored) and, on the customer's page, the status line:
// place in the queue, nobody online, agent joined, chat ended.
(function () {
  "use strict";
  // On the agents' queue: mark the chats with unread customer messages,
  // asking the server again every few seconds.
  var unreadSrc = document.querySelector("script[data-unread]");
  if (unreadSrc) {
    var markUnread = function () {
      var req = new XMLHttpRequest();
      req.open("GET", unreadSrc.getAttribute("data-unread"));
      req.onload = function () {
        if (req.status !== 200) return;
        var data;
        try { data = JSON.parse(req.responseText); } catch (err) { return; }
        var old = document.querySelectorAll("[data-unread-badge]");
        for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
        var links = document.querySelectorAll("a[href^='/console/tickets/']");
        for (var j = 0; j < links.length; j++) {
          var id = links[j].getAttribute("href").slice("/console/tickets/".length);
          var n = data.unread && data.unread[id];
          if (!n || /^#/.test(links[j].textContent)) continue; // one badge a row, by the subject
          var badge = document.createElement("span");
          badge.className = "badge unread";
          badge.setAttribute("data-unread-badge", id);
          badge.textContent = n + " " + data.label;
          links[j].parentNode.appendChild(badge);
        }
      };
      req.send();
    };
    markUnread();
    setInterval(markUnread, 5000);
  }

  var list = document.querySelector("[data-chat-ws]");
  if (!list || !window.WebSocket) return;
  var form = document.querySelector("[data-chat-form]");
  var input = form && form.querySelector("textarea[name=body]");
  var status = document.getElementById("chat-status");
  var state = document.getElementById("chat-state");
  var stateText = document.getElementById("chat-state-text");
  var leave = document.getElementById("chat-leave-instead");
  var typing = document.getElementById("chat-typing");
  var last = list.getAttribute("data-last") || "";
  var ws = null, delay = 500, typingTimer = null, lastTypingSent = 0, unread = 0;
  var title = document.title;

  if (!typing) { // the console page: the indicator lives under its conversation
    typing = document.createElement("p");
    typing.id = "chat-typing";
    typing.className = "typing muted small";
    typing.setAttribute("aria-live", "polite");
    typing.hidden = true;
    list.parentNode.insertBefore(typing, list.nextSibling);
  }

  function label(from) {
    return list.getAttribute("data-label-" + from) || from;
  }

  // clock is a message's Beijing time in the page's language, as the
  // server writes the messages already on the page ("18:33", never "6:33 PM").
  function clock(at) {
    var opts = { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Shanghai" };
    try {
      return new Date(at).toLocaleTimeString(document.documentElement.lang || "zh-CN", opts);
    } catch (err) { // no time-zone data: the browser's own time
      delete opts.timeZone;
      return new Date(at).toLocaleTimeString(document.documentElement.lang || "zh-CN", opts);
    }
  }

  function showTyping(text) {
    typing.textContent = text;
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typing.hidden = true; }, 4000);
  }

  function setState(e) {
    if (!state) {
      if (e.kind === "end" && e.text) showNote(e.text);
      return;
    }
    if (e.kind === "end" && state.getAttribute("data-kind") !== "end") {
      location.reload(); // the ended page offers the rating
      return;
    }
    state.setAttribute("data-kind", e.kind);
    stateText.textContent = e.text;
    if (leave) leave.hidden = e.kind !== "nobody";
  }

  function showNote(text) {
    var li = document.createElement("li");
    li.className = "msg note";
    li.textContent = text;
    list.appendChild(li);
  }

  function add(e) {
    if (!e.id || document.getElementById("m-" + e.id)) return;
    var li = document.createElement("li");
    li.id = "m-" + e.id;
    li.className = "msg " + (e.from === "agent" ? "staff" : e.from === "system" ? "note" : "cust");
    var who = document.createElement("div");
    who.className = "who";
    who.textContent = label(e.from) + " · " + clock(e.at);
    var body = document.createElement("div");
    body.className = "body";
    body.textContent = e.body; // text, never HTML
    li.appendChild(who);
    li.appendChild(body);
    list.appendChild(li);
    if (e.id > last) last = e.id;
    li.scrollIntoView({ block: "nearest" });
    typing.hidden = true;
    if (document.hidden && !li.classList.contains(state ? "cust" : "staff")) {
      unread++;
      document.title = "(" + unread + ") " + title;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { unread = 0; document.title = title; }
  });

  function setLive(live) {
    if (live) list.setAttribute("data-live", "1"); else list.removeAttribute("data-live");
    if (status) status.hidden = !live;
  }

  function connect() {
    var base = list.getAttribute("data-chat-ws");
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + base +
      (last ? (base.indexOf("?") < 0 ? "?" : "&") + "since=" + encodeURIComponent(last) : "");
    ws = new WebSocket(url);
    ws.onopen = function () { delay = 500; setLive(true); };
    ws.onmessage = function (m) {
      var e;
      try { e = JSON.parse(m.data); } catch (err) { return; }
      if (e.error) { window.alert(e.error); return; }
      if (e.kind === "typing") { showTyping(e.text); return; }
      if (e.kind) { setState(e); return; }
      add(e);
    };
    ws.onclose = function () {
      setLive(false);
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    };
  }

  if (form && input) {
    form.addEventListener("submit", function (ev) {
      var internal = form.querySelector("input[name=visibility][value=internal]:checked");
      if (internal || !ws || ws.readyState !== 1) return; // the plain form handles it
      ev.preventDefault();
      var text = input.value.trim();
      if (text) ws.send(JSON.stringify({ body: text }));
      input.value = "";
      input.focus();
    });
    input.addEventListener("input", function () {
      var internal = form.querySelector("input[name=visibility][value=internal]:checked");
      var now = Date.now();
      if (internal || !ws || ws.readyState !== 1 || !input.value || now - lastTypingSent < 2500) return;
      lastTypingSent = now;
      ws.send(JSON.stringify({ typing: true }));
    });
  }
  connect();
})();
