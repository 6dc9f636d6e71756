// kiban dashboard: follows /events/stream and lists each event, newest first. Text only (textContent): an
// event's container name is never read as HTML.
"use strict";
(function () {
  var list = document.getElementById("events");
  var state = document.getElementById("stream-state");
  if (!list || !state || !window.EventSource) return;
  var source = new EventSource("/events/stream");
  source.onopen = function () { state.textContent = "connected"; };
  source.onerror = function () { state.textContent = "reconnecting"; };
  source.onmessage = function (e) {
    var item = document.createElement("li");
    item.textContent = e.data;
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 500) list.removeChild(list.lastChild);
  };
})();
