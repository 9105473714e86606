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

// Inlines: "Add another" clones the group's empty row template (names carry __prefix__) and raises TOTAL_FORMS;
// a row added this way can be removed again (the later added rows are renumbered). Without script, the extra rows serve.
(function () {
  'use strict';
  function field(group, prefix, name) { return group.querySelector('input[name="' + prefix + '-' + name + '"]'); }
  function renumber(row, prefix, index) {
    var pattern = new RegExp('(' + prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '-)(\\d+|__prefix__|empty)(?=-|$)');
    [row].concat(Array.prototype.slice.call(row.querySelectorAll('[id],[name],[for]'))).forEach(function (el) {
      ['id', 'name', 'for'].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(pattern, '$1' + index));
      });
    });
  }
  function setup(group) {
    var prefix = group.getAttribute('data-inline-prefix');
    var template = group.querySelector('template.empty-form');
    var addRow = group.querySelector('.add-row');
    var total = field(group, prefix, 'TOTAL_FORMS');
    if (!template || !addRow || !total) return;
    var max = parseInt(group.getAttribute('data-max-num') || '1000', 10);
    // Rows rendered by the server stay numbered 0..base-1; rows added here follow them, always renumbered base, base+1...
    var base = parseInt(total.value, 10) || 0;
    var container = group.querySelector('tbody') || group.querySelector('.inline-rows');
    function refresh() { addRow.hidden = parseInt(total.value, 10) >= max; }
    addRow.querySelector('button').addEventListener('click', function () {
      var index = parseInt(total.value, 10);
      var source = template.content.querySelector('tr') || template.content.firstElementChild;
      var row = source.cloneNode(true);
      row.classList.add('dynamic-row');
      renumber(row, prefix, index);
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'remove-inline';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', 'Remove this row');
      remove.addEventListener('click', function () {
        row.remove();
        var rows = container.querySelectorAll('.dynamic-row');
        rows.forEach(function (r, i) { renumber(r, prefix, base + i); });
        total.value = String(base + rows.length);
        refresh();
        addRow.querySelector('button').focus();
      });
      (row.querySelector('td.delete') || row).appendChild(remove);
      container.appendChild(row);
      total.value = String(index + 1);
      refresh();
      document.dispatchEvent(new CustomEvent('atrium:row-added', { detail: row }));
      var first = row.querySelector('input:not([type=hidden]), select, textarea');
      if (first) first.focus();
    });
    refresh();
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('.inline-group[data-inline-prefix]').forEach(setup);
  });
})();
