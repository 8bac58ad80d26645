// Kindshift progressive enhancement. Every page works without this file; it only saves round trips:
// - preselects the time zone of this device on the sign-up form (still editable),
// - suggests places from the offline gazetteer (/api/geocode) while typing a home area,
// - adds and removes rows of the availability editors in place instead of reloading the page,
// - selects a freshly created API key when it gets focus,
// - keeps a shift's "Offers so far" current from its JSON progress while offers go out or answers come in.
(function () {
  'use strict';

  function announce(message) {
    var region = document.getElementById('js-announcer');
    if (!region) {
      region = document.createElement('div');
      region.id = 'js-announcer';
      region.className = 'visually-hidden';
      region.setAttribute('aria-live', 'polite');
      document.body.appendChild(region);
    }
    region.textContent = '';
    window.setTimeout(function () {
      region.textContent = message;
    }, 50);
  }

  // Time zone: only on a fresh sign-up form (the server marks it), never over a choice the person made.
  function detectZone() {
    var select = document.querySelector('select[data-detect-zone]');
    if (!select || !window.Intl || !Intl.DateTimeFormat) return;
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch {
      return;
    }
    if (!zone || zone.indexOf('/') === -1 || zone.indexOf('Etc/') === 0) return;
    var found = Array.prototype.some.call(select.options, function (o) {
      return o.value === zone;
    });
    if (!found) {
      var option = document.createElement('option');
      option.value = zone;
      option.textContent = zone.replace(/_/g, ' ').replace(/\//g, ' / ');
      select.appendChild(option);
    }
    select.value = zone;
    var hint = document.querySelector('[data-zone-hint]');
    if (hint)
      hint.textContent =
        'We picked ' +
        zone +
        ' from this device; change it if it is wrong. Your availability and every time we show you are in this zone.';
  }

  // Home area suggestions into a <datalist>: the field stays a plain text field resolved on submit.
  function geocode() {
    document.querySelectorAll('input[data-geocode]').forEach(function (input) {
      var list = document.getElementById(input.getAttribute('data-geocode'));
      if (!list || !window.fetch) return;
      var timer = null;
      var last = '';
      // Says what the server could not place (a UK postcode it does not know) under the field.
      var note = document.createElement('p');
      note.className = 'hint';
      note.id = input.id + '-geocode-note';
      note.setAttribute('aria-live', 'polite');
      input.insertAdjacentElement('afterend', note);
      input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + note.id).trim());
      input.addEventListener('input', function () {
        var query = input.value.trim();
        window.clearTimeout(timer);
        // Two characters are enough for a postcode's outward code ("M4"); place names need three.
        if (query.length < (/\d/.test(query) ? 2 : 3) || query === last) return;
        timer = window.setTimeout(function () {
          last = query;
          fetch('/api/geocode?q=' + encodeURIComponent(query.slice(0, 100)), {
            headers: { accept: 'application/json' },
            credentials: 'omit',
          })
            .then(function (res) {
              if (res.ok) {
                note.textContent = '';
                return res.json();
              }
              if (res.status !== 404) return [];
              return res.json().then(function (problem) {
                var said = problem && problem.errors && problem.errors[0];
                note.textContent = said && said.message ? said.message : '';
                return [];
              });
            })
            .then(function (places) {
              list.textContent = '';
              (places || []).forEach(function (place) {
                var option = document.createElement('option');
                option.value = place.label;
                list.appendChild(option);
              });
            })
            .catch(function () {
              /* suggestions are optional */
            });
        }, 250);
      });
    });
  }

  // Row editors: the same buttons that round-trip to the server without JavaScript.
  function editors() {
    document.querySelectorAll('[data-editor]').forEach(function (editor) {
      var rows = editor.querySelector('[data-rows]');
      var template = editor.querySelector('template[data-row-template]');
      var add = editor.querySelector('[data-add-row]');
      if (!rows || !template || !add) return;
      var prefix = editor.getAttribute('data-editor') + '.';
      var next = 0;
      rows.querySelectorAll('[name^="' + prefix + '"]').forEach(function (el) {
        var index = parseInt(el.name.slice(prefix.length), 10);
        if (index >= next) next = index + 1;
      });

      function renumber() {
        rows.querySelectorAll('[data-row]').forEach(function (row, i) {
          var legend = row.querySelector('legend');
          if (legend) legend.textContent = legend.textContent.replace(/\d+$/, String(i + 1));
          var hidden = row.querySelector('[data-remove-row] .visually-hidden');
          if (hidden) hidden.textContent = hidden.textContent.replace(/\d+$/, String(i + 1));
        });
      }

      add.addEventListener('click', function (event) {
        event.preventDefault();
        var count = rows.querySelectorAll('[data-row]').length;
        if (count >= 50) return;
        var html = template.innerHTML.replace(/__INDEX__/g, String(next)).replace(/__NUMBER__/g, String(count + 1));
        next += 1;
        var holder = document.createElement('div');
        holder.innerHTML = html.trim();
        var row = holder.firstElementChild;
        rows.appendChild(row);
        var first = row.querySelector('select, input');
        if (first) first.focus();
        announce('Row ' + (count + 1) + ' added.');
      });

      rows.addEventListener('click', function (event) {
        var button = event.target.closest('[data-remove-row]');
        if (!button) return;
        event.preventDefault();
        var row = button.closest('[data-row]');
        if (row) row.remove();
        renumber();
        add.focus();
        announce('Row removed.');
      });
    });
  }

  function selectOnFocus() {
    document.querySelectorAll('[data-select-on-focus]').forEach(function (input) {
      input.addEventListener('focus', function () {
        input.select();
      });
    });
  }

  function focusErrors() {
    var summary = document.querySelector('.error-summary');
    if (summary && !document.querySelector('[autofocus]')) summary.focus();
  }

  // The coordinator's shift page: poll the progress API while the server says something is moving,
  // and stop once it says nothing is (filled, no one left to ask, started). The page's own
  // <noscript> refresh does the same without JavaScript.
  function liveProgress() {
    var block = document.querySelector('[data-progress][data-refresh]');
    if (!block || !window.fetch) return;
    var url = block.getAttribute('data-progress');
    function schedule(seconds) {
      window.setTimeout(poll, Math.max(2, seconds) * 1000);
    }
    function show(progress) {
      var headline = block.querySelector('[data-progress-field="headline"]');
      if (headline && headline.textContent !== progress.headline) headline.textContent = progress.headline;
      var detail = block.querySelector('[data-progress-field="detail"]');
      if (detail) {
        detail.textContent = progress.detail || '';
        detail.hidden = !progress.detail;
      }
      var counts = Object.assign({ openPlaces: progress.openPlaces }, progress.offers);
      Object.keys(counts).forEach(function (name) {
        var cell = block.querySelector('[data-progress-count="' + name + '"]');
        if (cell) cell.textContent = String(counts[name]);
      });
      var live = block.querySelector('[data-progress-field="live"]');
      if (live && !progress.refreshSeconds) live.hidden = true;
    }
    function poll() {
      fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (progress) {
          show(progress);
          if (progress.refreshSeconds) schedule(progress.refreshSeconds);
        })
        .catch(function () {
          schedule(30);
        }); // a failed look (offline, a restart) tries again later
    }
    schedule(Number(block.getAttribute('data-refresh')) || 5);
  }

  function start() {
    liveProgress();
    detectZone();
    geocode();
    editors();
    selectOnFocus();
    focusErrors();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
