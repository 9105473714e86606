// Atrium admin: select-all checkboxes and the selection counter of the changelist; the pages work without it.
(function () {
  'use strict';
  function updateCounter(form) {
    var boxes = form.querySelectorAll('input.action-select');
    var checked = form.querySelectorAll('input.action-select:checked').length;
    var counter = form.querySelector('.action-counter');
    if (counter) counter.textContent = checked + ' of ' + boxes.length + ' selected';
    var toggle = form.querySelector('#action-toggle');
    if (toggle) toggle.checked = boxes.length > 0 && checked === boxes.length;
  }
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('changelist-form');
    if (!form) return;
    var toggle = form.querySelector('#action-toggle');
    if (toggle) {
      toggle.addEventListener('change', function () {
        form.querySelectorAll('input.action-select').forEach(function (box) { box.checked = toggle.checked; });
        updateCounter(form);
      });
    }
    form.addEventListener('change', function (event) {
      if (event.target.classList && event.target.classList.contains('action-select')) updateCounter(form);
    });
    updateCounter(form);
  });
})();
