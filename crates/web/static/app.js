// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Ask before destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  // Show progress while a long upload or export runs.
  document.querySelectorAll("form[data-progress]").forEach(function (f) {
    f.addEventListener("submit", function () {
      var p = f.querySelector("progress");
      if (p) { p.hidden = false; }
      var b = f.querySelector("button[type=submit]");
      if (b) { b.disabled = true; b.textContent = f.getAttribute("data-progress"); }
    });
  });
});
// "Use my location" on a person's map point: fill the form's lat/lng from the browser.
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.geolocation) return;
  document.querySelectorAll("button[data-geo]").forEach(function (b) {
    var f = b.form;
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        f.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
        f.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(6);
      });
    });
  });
});
// Check-in (探访打卡): fill the hidden location inputs from the browser when the user allows it;
// a tap before the fix arrives waits up to 5 seconds for it, then submits anyway.
document.addEventListener("DOMContentLoaded", function () {
  var lat = document.querySelector("[data-geo-lat]");
  if (!lat || !navigator.geolocation) return;
  var f = lat.form, status = f.querySelector("[data-geo-status]"), done = false, waiting = false;
  if (status) status.hidden = false;
  var send = function () { if (waiting) { waiting = false; f.submit(); } };
  var locate = function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      f.querySelector("[data-geo-lng]").value = pos.coords.longitude.toFixed(6);
      f.querySelector("[data-geo-acc]").value = Math.round(pos.coords.accuracy);
      if (status) { status.hidden = false; status.textContent = "✓ ±" + Math.round(pos.coords.accuracy) + " m"; }
      done = true;
      send();
    }, function () {
      if (status) status.hidden = true;
      send();
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  };
  locate();
  // No fix yet at the tap (slow, or permission given only now): ask once more, wait up to 5 s.
  f.addEventListener("submit", function (e) {
    if (done) return;
    e.preventDefault();
    waiting = true;
    locate();
    setTimeout(send, 5000);
  });
});
