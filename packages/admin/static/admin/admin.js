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

// Autocomplete: an input.admin-autocomplete holds the key(s); it becomes hidden and a combobox (ARIA 1.2) searches
// the site's autocomplete endpoint as you type. Arrow keys move, Enter picks, Escape closes. Without script, type the id.
(function () {
  'use strict';
  var counter = 0;
  function setup(input) {
    if (input.dataset.ready) return;
    input.dataset.ready = '1';
    var url = input.getAttribute('data-autocomplete-url');
    var multiple = input.getAttribute('data-multiple') === 'true';
    var selected = [];
    try { selected = JSON.parse(input.getAttribute('data-labels') || '[]'); } catch (e) { selected = []; }
    var id = input.id || ('autocomplete-' + (++counter));
    var box = document.createElement('input');
    box.type = 'text';
    box.id = id;
    box.className = 'autocomplete-box';
    box.setAttribute('role', 'combobox');
    box.setAttribute('aria-autocomplete', 'list');
    box.setAttribute('aria-expanded', 'false');
    box.setAttribute('autocomplete', 'off');
    if (input.getAttribute('aria-describedby')) box.setAttribute('aria-describedby', input.getAttribute('aria-describedby'));
    if (input.getAttribute('aria-invalid')) box.setAttribute('aria-invalid', input.getAttribute('aria-invalid'));
    var list = document.createElement('ul');
    list.id = id + '-listbox';
    list.className = 'autocomplete-results';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    box.setAttribute('aria-controls', list.id);
    var chips = document.createElement('ul');
    chips.className = 'autocomplete-chips';
    input.id = id + '-value';
    input.type = 'hidden';
    var wrap = document.createElement('div');
    wrap.className = 'autocomplete';
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    if (multiple) wrap.appendChild(chips);
    wrap.appendChild(box);
    wrap.appendChild(list);
    var options = [];
    var active = -1;
    var page = 1;
    var more = false;
    var timer = null;
    var seq = 0;
    function sync() {
      input.value = selected.map(function (s) { return s.id; }).join(',');
      if (!multiple) { box.value = selected.length ? selected[0].text : ''; return; }
      chips.textContent = '';
      selected.forEach(function (item, index) {
        var li = document.createElement('li');
        li.textContent = item.text + ' ';
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.textContent = '×';
        remove.setAttribute('aria-label', 'Remove ' + item.text);
        remove.addEventListener('click', function () { selected.splice(index, 1); sync(); box.focus(); });
        li.appendChild(remove);
        chips.appendChild(li);
      });
    }
    function close() { list.hidden = true; box.setAttribute('aria-expanded', 'false'); box.removeAttribute('aria-activedescendant'); active = -1; }
    function highlight(index) {
      var items = list.querySelectorAll('[role=option]');
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute('aria-selected', i === active ? 'true' : 'false'); });
      box.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({ block: 'nearest' });
    }
    function pick(option) {
      if (multiple) { if (!selected.some(function (s) { return s.id === option.id; })) selected.push(option); box.value = ''; }
      else selected = [option];
      sync();
      close();
    }
    function render(append) {
      if (!append) list.textContent = '';
      list.querySelectorAll('.autocomplete-more').forEach(function (el) { el.remove(); });
      options.forEach(function (option, i) {
        if (append && document.getElementById(id + '-option-' + i)) return;
        var li = document.createElement('li');
        li.id = id + '-option-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = option.text;
        li.addEventListener('mousedown', function (event) { event.preventDefault(); pick(option); });
        list.appendChild(li);
      });
      if (!options.length) { var none = document.createElement('li'); none.className = 'autocomplete-empty'; none.textContent = 'No results'; list.appendChild(none); }
      if (more) {
        var next = document.createElement('li');
        next.className = 'autocomplete-more';
        next.textContent = 'Load more…';
        next.addEventListener('mousedown', function (event) { event.preventDefault(); search(page + 1); });
        list.appendChild(next);
      }
      list.hidden = false;
      box.setAttribute('aria-expanded', 'true');
    }
    function search(wanted) {
      var mine = ++seq;
      var term = box.value.trim();
      fetch(url + '&term=' + encodeURIComponent(term) + '&page=' + wanted, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : { results: [], pagination: { more: false } }; })
        .then(function (data) {
          if (mine !== seq) return;
          options = wanted === 1 ? data.results : options.concat(data.results);
          page = wanted;
          more = Boolean(data.pagination && data.pagination.more);
          render(wanted > 1);
        })
        .catch(function () { close(); });
    }
    box.addEventListener('input', function () {
      if (!multiple && box.value.trim() === '') { selected = []; input.value = ''; }
      clearTimeout(timer);
      timer = setTimeout(function () { search(1); }, 200);
    });
    box.addEventListener('focus', function () { if (list.hidden && !box.value) search(1); });
    box.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowDown') { event.preventDefault(); if (list.hidden) search(1); else highlight(active + 1); }
      else if (event.key === 'ArrowUp') { event.preventDefault(); highlight(active - 1); }
      else if (event.key === 'Enter' && !list.hidden) {
        event.preventDefault();
        if (active >= 0 && options[active]) pick(options[active]);
        else if (options.length === 1) pick(options[0]);
      } else if (event.key === 'Escape') { close(); }
    });
    box.addEventListener('blur', function () { setTimeout(function () { close(); if (!multiple) sync(); }, 150); });
    sync();
  }
  function setupAll(root) {
    root.querySelectorAll('input.admin-autocomplete').forEach(function (input) {
      // The empty-row template of an inline is set up when the row is added, under its real name.
      if (!input.closest('template') && input.name.indexOf('__prefix__') === -1) setup(input);
    });
  }
  document.addEventListener('DOMContentLoaded', function () { setupAll(document); });
  document.addEventListener('atrium:row-added', function (event) { setupAll(event.detail); });
})();

// Relation pickers (groups, permissions): a type-to-filter box above each tall multi-select; hidden options stay selected.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('select[multiple][data-filterable]').forEach(function (select) {
      var box = document.createElement('input');
      box.type = 'search';
      box.className = 'picker-filter';
      box.placeholder = 'Filter';
      box.setAttribute('aria-label', 'Filter the ' + select.getAttribute('data-filterable') + ' list');
      box.addEventListener('input', function () {
        var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
        Array.prototype.forEach.call(select.options, function (option) {
          var text = option.textContent.toLowerCase();
          option.hidden = !option.selected && !words.every(function (w) { return text.indexOf(w) !== -1; });
        });
      });
      select.parentNode.insertBefore(box, select);
    });
  });
})();

// prepopulatedFields: on the add form, fill a field (a slug) from others as you type, until you edit it yourself.
(function () {
  'use strict';
  function slugify(text, maxLength) {
    return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^\w\s-]/g, '').replace(/[\s_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, maxLength).replace(/-+$/, '');
  }
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('change-form');
    if (!form || !form.getAttribute('data-prepopulated')) return;
    var specs = [];
    try { specs = JSON.parse(form.getAttribute('data-prepopulated')); } catch (e) { return; }
    specs.forEach(function (spec) {
      var target = document.getElementById(spec.field);
      if (!target) return;
      var sources = spec.from.map(function (id) { return document.getElementById(id); }).filter(Boolean);
      // A value already there (a redisplayed form) is the user's: leave it.
      var touched = target.value !== '';
      target.addEventListener('input', function () { touched = target.value !== ''; });
      function fill() {
        if (touched) return;
        target.value = slugify(sources.map(function (s) { return s.value; }).join(' '), spec.maxLength || 50);
      }
      sources.forEach(function (source) { source.addEventListener('input', fill); source.addEventListener('change', fill); });
    });
  });
})();
