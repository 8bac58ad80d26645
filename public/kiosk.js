// The kiosk locks on the server after KIOSK_IDLE_MINUTES without a tap; reloading then replaces the
// list of names on an unattended tablet with the "Kiosk locked" page. Without JavaScript a
// <noscript> refresh does the same.
(function () {
  var seconds = Number(document.body.getAttribute('data-lock-seconds'));
  if (!seconds) return;
  setTimeout(
    function () {
      window.location.replace('/kiosk');
    },
    seconds * 1000 + 1000,
  );
})();
