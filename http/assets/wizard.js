// What the browser can tell by itself, so the user is not asked.
(function () {
  var ua = navigator.userAgent || "";
  if (/iPhone|iPad|iPod/.test(ua)) document.getElementById("platform").value = "ios";
  var net = document.getElementById("network_type");
  if (!navigator.onLine) net.value = "none";
  else if (navigator.connection && navigator.connection.type === "cellular") net.value = "cellular";
  else if (navigator.connection && navigator.connection.type === "wifi") net.value = "wifi";
  window.okcareWizardReady = true;
})();
