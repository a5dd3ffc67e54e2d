// Live chat for the customer's chat page and the agent console: messages
// arrive over a WebSocket and the form sends over it; without JavaScript
// or a connection, the page and its form work as plain HTML.
(function () {
  "use strict";
  var list = document.querySelector("[data-chat-ws]");
  if (!list || !window.WebSocket) return;
  var form = document.querySelector("[data-chat-form]");
  var input = form && form.querySelector("textarea[name=body]");
  var status = document.getElementById("chat-status");
  var last = list.getAttribute("data-last") || "";
  var ws = null, delay = 500;

  function label(from) {
    return list.getAttribute("data-label-" + from) || from;
  }

  function add(e) {
    if (!e.id || document.getElementById("m-" + e.id)) return;
    var li = document.createElement("li");
    li.id = "m-" + e.id;
    li.className = "msg " + (e.from === "agent" ? "staff" : e.from === "system" ? "note" : "cust");
    var who = document.createElement("div");
    who.className = "who";
    who.textContent = label(e.from) + " · " + new Date(e.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    var body = document.createElement("div");
    body.className = "body";
    body.textContent = e.body; // text, never HTML
    li.appendChild(who);
    li.appendChild(body);
    list.appendChild(li);
    if (e.id > last) last = e.id;
    li.scrollIntoView({ block: "nearest" });
  }

  function setLive(live) {
    if (live) list.setAttribute("data-live", "1"); else list.removeAttribute("data-live");
    if (status) status.hidden = !live;
  }

  function connect() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + list.getAttribute("data-chat-ws") +
      (last ? "?since=" + encodeURIComponent(last) : "");
    ws = new WebSocket(url);
    ws.onopen = function () { delay = 500; setLive(true); };
    ws.onmessage = function (m) {
      var e;
      try { e = JSON.parse(m.data); } catch (err) { return; }
      if (e.error) { window.alert(e.error); return; }
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
  }
  connect();
})();
