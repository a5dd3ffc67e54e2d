// Live chat for the customer's chat page and the agent console: messages
// arrive over a WebSocket and the form sends over it; without JavaScript
// the page and its form work as plain HTML. Besides messages the socket
// carries the other side's typing (shown for a few seconds, never stored)
// and, on the customer's page, the status line: place in the queue,
// nobody online, agent joined, chat ended.
//
// Nothing typed is lost: a message gets an id of its own when sent, shows
// as pending and waits in an outbox (localStorage, so a reload or a closed
// tab keeps it) until the server acknowledges it, which it does once the
// message is committed. After any reconnect, to this node or another, the
// outbox is sent again: the server stores a message once per id. Messages
// arrive in conversation order (seq); after a reconnect the server sends
// what came after the last seq seen. A heartbeat finds a frozen or
// half-open connection within seconds, and reconnects with backoff (0.5 s
// doubling to 5 s, spread by a quarter either way).
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
  var reconnecting = document.getElementById("chat-reconnecting");
  var mine = state ? "customer" : "agent"; // who this page speaks for
  var lastSeq = parseInt(list.getAttribute("data-last-seq"), 10) || 0;
  var outboxKey = list.getAttribute("data-outbox") || "okcare.chat";
  var ws = null, delay = 500, reconnectTimer = null, wasLive = false;
  var heard = 0, opened = 0, pinged = 0, typingTimer = null, lastTypingSent = 0, unread = 0;
  var title = document.title;
  // Heartbeat: a ping every 2 s; nothing heard for 6 s (or not open
  // within 5 s) and the connection is given up and made again.
  var PING_EVERY = 2000, DEAD_AFTER = 6000, OPEN_WITHIN = 5000, MAX_DELAY = 5000;

  if (!typing) { // the console page: the indicator lives under its conversation
    typing = document.createElement("p");
    typing.id = "chat-typing";
    typing.className = "typing muted small";
    typing.setAttribute("aria-live", "polite");
    typing.hidden = true;
    list.parentNode.insertBefore(typing, list.nextSibling);
  }

  // The outbox: [{cid, body}] sent and not acknowledged, oldest first.
  var outbox = [];
  try { outbox = JSON.parse(localStorage.getItem(outboxKey) || "[]") || []; } catch (err) { outbox = []; }
  function saveOutbox() {
    try {
      if (outbox.length) localStorage.setItem(outboxKey, JSON.stringify(outbox));
      else localStorage.removeItem(outboxKey);
    } catch (err) { /* no storage (private mode): the page keeps them */ }
  }
  function unqueue(cid) {
    for (var i = 0; i < outbox.length; i++) {
      if (outbox[i].cid === cid) { outbox.splice(i, 1); saveOutbox(); return; }
    }
  }
  function queued(cid) {
    for (var i = 0; i < outbox.length; i++) if (outbox[i].cid === cid) return outbox[i];
    return null;
  }

  function newCid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16), hex = "";
    crypto.getRandomValues(b);
    for (var i = 0; i < b.length; i++) hex += ("0" + b[i].toString(16)).slice(-2);
    return hex;
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

  function kind(from) {
    return from === "agent" ? "staff" : from === "system" ? "note" : "cust";
  }

  // bubble makes a message's element; state is the pending line, if any.
  function bubble(from, body, when, stateLine) {
    var li = document.createElement("li");
    li.className = "msg " + kind(from);
    var who = document.createElement("div");
    who.className = "who";
    who.textContent = label(from) + (when ? " · " + when : "");
    var text = document.createElement("div");
    text.className = "body";
    text.textContent = body; // text, never HTML
    li.appendChild(who);
    li.appendChild(text);
    if (stateLine) {
      var st = document.createElement("div");
      st.className = "state small";
      st.textContent = stateLine;
      li.appendChild(st);
    }
    return li;
  }

  // place puts a stored message in conversation order: before the first
  // with a later seq, or before the pending ones.
  function place(li, seq) {
    li.setAttribute("data-seq", seq);
    for (var el = list.firstElementChild; el; el = el.nextElementSibling) {
      var s = parseInt(el.getAttribute("data-seq"), 10);
      if (el !== li && (isNaN(s) || s > seq)) { list.insertBefore(li, el); return; }
    }
    list.appendChild(li);
  }

  // show puts a stored message on the page once; this page's pending copy
  // of it (the same client id) becomes it. It returns the new element, or
  // null when the message was there already.
  function show(e) {
    if (!e.id || document.getElementById("m-" + e.id)) return null;
    var li = e.client_id && document.getElementById("p-" + e.client_id);
    var fresh = bubble(e.from, e.body, clock(e.at));
    if (li) {
      li.parentNode.replaceChild(fresh, li);
    }
    li = fresh;
    li.id = "m-" + e.id;
    if (e.client_id) {
      li.setAttribute("data-cid", e.client_id);
      unqueue(e.client_id);
    }
    place(li, e.seq);
    return li;
  }

  // arrive is a message in the conversation's stream, in order.
  function arrive(e) {
    if (e.seq > lastSeq) lastSeq = e.seq;
    var li = show(e);
    if (!li) return;
    li.scrollIntoView({ block: "nearest" });
    typing.hidden = true;
    if (document.hidden && e.from !== mine) {
      unread++;
      document.title = "(" + unread + ") " + title;
    }
  }

  // pend shows an outbox message as pending.
  function pend(item) {
    if (document.getElementById("p-" + item.cid)) return;
    var li = bubble(mine, item.body, "", label("sending"));
    li.id = "p-" + item.cid;
    li.className += " pending";
    list.appendChild(li);
    li.scrollIntoView({ block: "nearest" });
  }

  // refused handles the server's refusal of a message: kept and sent
  // again later when it may pass then, else marked not sent.
  function refused(e) {
    if (!queued(e.client_id)) return; // a resend of one stored meanwhile
    var li = document.getElementById("p-" + e.client_id);
    var st = li && li.querySelector(".state");
    if (e.retry) {
      if (st) st.textContent = label("sending") + " " + e.error;
      setTimeout(function () { resend(e.client_id); }, 3000);
      return;
    }
    unqueue(e.client_id);
    if (li) {
      li.className = li.className.replace(" pending", "") + " unsent";
      if (st) st.textContent = label("unsent") + ": " + e.error;
    } else {
      showNote(e.error);
    }
  }

  function transmit(item) {
    try { ws.send(JSON.stringify({ client_id: item.cid, body: item.body })); } catch (err) { /* the heartbeat notices */ }
  }
  function resend(cid) {
    var item = queued(cid);
    if (item && ws && ws.readyState === 1) transmit(item);
  }
  // flush sends every unacknowledged message again, oldest first.
  function flush() {
    for (var i = 0; i < outbox.length; i++) transmit(outbox[i]);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { unread = 0; document.title = title; }
  });

  function setLive(live) {
    if (live) list.setAttribute("data-live", "1"); else list.removeAttribute("data-live");
    if (status) status.hidden = !live;
    if (reconnecting) reconnecting.hidden = live || !wasLive;
  }

  // drop gives the connection up and schedules the next, later each time.
  function drop() {
    var old = ws;
    ws = null;
    if (old) {
      old.onopen = old.onmessage = old.onclose = old.onerror = null;
      try { old.close(); } catch (err) { /* closing a dead socket */ }
    }
    setLive(false);
    if (reconnectTimer) return;
    var wait = Math.floor(delay * (0.75 + Math.random() / 2)); // spread, so a restarted node is not met by every page at once
    delay = Math.min(delay * 2, MAX_DELAY);
    reconnectTimer = setTimeout(function () { reconnectTimer = null; connect(); }, wait);
  }

  function connect() {
    if (ws) return;
    var base = list.getAttribute("data-chat-ws");
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + base +
      (base.indexOf("?") < 0 ? "?" : "&") + "since_seq=" + lastSeq;
    var sock;
    try { sock = new WebSocket(url); } catch (err) { drop(); return; }
    ws = sock;
    opened = heard = Date.now();
    sock.onopen = function () {
      heard = Date.now();
      wasLive = true;
      setLive(true);
      flush();
    };
    sock.onmessage = function (m) {
      heard = Date.now();
      delay = 500; // the server answers: a good connection
      var e;
      try { e = JSON.parse(m.data); } catch (err) { return; }
      if (e.error) { if (e.client_id) refused(e); else showNote(e.error); return; }
      if (e.kind === "pong") return;
      if (e.kind === "ack") { show(e); return; }
      if (e.kind === "typing") { showTyping(e.text); return; }
      if (e.kind) { setState(e); return; }
      arrive(e);
    };
    sock.onclose = function () { if (ws === sock) drop(); };
  }

  // The heartbeat.
  setInterval(function () {
    if (!ws) return;
    var now = Date.now();
    if (ws.readyState === 0 && now - opened > OPEN_WITHIN) { drop(); return; }
    if (ws.readyState !== 1) return;
    if (now - heard > DEAD_AFTER) { drop(); return; }
    if (now - pinged >= PING_EVERY) {
      pinged = now;
      try { ws.send('{"ping":true}'); } catch (err) { drop(); }
    }
  }, 500);
  window.addEventListener("online", function () {
    if (ws && ws.readyState === 1) return;
    delay = 500;
    if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; }
    if (ws) drop(); else connect();
  });

  // Messages sent before a reload: those now stored are on the page (the
  // server wrote them with their client id); the others wait, pending.
  outbox = outbox.filter(function (item) {
    return item && item.cid && !list.querySelector("[data-cid=\"" + item.cid + "\"]");
  });
  saveOutbox();
  outbox.forEach(pend);

  if (form && input) {
    form.addEventListener("submit", function (ev) {
      var internal = form.querySelector("input[name=visibility][value=internal]:checked");
      if (internal) return; // the plain form handles it
      ev.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      var item = { cid: newCid(), body: text };
      outbox.push(item);
      saveOutbox();
      pend(item);
      input.value = "";
      input.focus();
      if (ws && ws.readyState === 1) transmit(item);
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
