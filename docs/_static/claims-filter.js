/* Filters for the claims index: a drop-down per chapter, kind, status, evidence grade and
   source, and a word search. Local, no dependencies, no network. It works on any table with
   the class "claims-filter" (set by the needtable's :class: option) and leaves other pages
   alone. */
(function () {
  "use strict";
  var FILTERS = ["Chapter", "Kind", "Status", "Grade", "Sources"];

  function cellValues(cell) {
    var links = cell.querySelectorAll("a");
    if (links.length > 0) {
      return Array.prototype.map.call(links, function (a) { return a.textContent.trim(); });
    }
    var text = cell.textContent.trim();
    return text ? [text] : [];
  }

  function setUp(table) {
    var headers = Array.prototype.map.call(
      table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var controls = document.createElement("div");
    controls.className = "claims-filter-controls";
    var selects = [];
    FILTERS.forEach(function (name) {
      var column = headers.indexOf(name);
      if (column < 0) { return; }
      var values = {};
      rows.forEach(function (row) {
        cellValues(row.cells[column]).forEach(function (v) { values[v] = true; });
      });
      var label = document.createElement("label");
      label.textContent = name + " ";
      var select = document.createElement("select");
      select.appendChild(new Option("all", ""));
      Object.keys(values).sort().forEach(function (v) { select.appendChild(new Option(v, v)); });
      select.addEventListener("change", apply);
      label.appendChild(select);
      controls.appendChild(label);
      selects.push({ column: column, select: select });
    });
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Search the claims";
    search.addEventListener("input", apply);
    controls.appendChild(search);
    var count = document.createElement("span");
    count.className = "claims-filter-count";
    controls.appendChild(count);
    table.parentNode.insertBefore(controls, table);

    // Each cell knows its column's name (shown before it when rows are cards, on phones),
    // and the evidence shows its first quotation until its button opens the rest.
    var evidence = headers.indexOf("Evidence");
    rows.forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        cell.setAttribute("data-label", headers[i] || "");
      });
      var cell = evidence >= 0 ? row.cells[evidence] : null;
      if (!cell || !cell.textContent.trim()) { return; }
      var quotes = cell.querySelectorAll("p").length;
      cell.classList.add("evidence-closed");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "evidence-toggle";
      button.setAttribute("aria-expanded", "false");
      var closedLabel = quotes > 1 ? "all " + quotes + " quotations" : "whole quotation";
      button.textContent = closedLabel;
      button.addEventListener("click", function () {
        var open = cell.classList.toggle("evidence-closed") === false;
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? "fewer" : closedLabel;
      });
      cell.appendChild(button);
    });

    function apply() {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var keep = selects.every(function (f) {
          return !f.select.value || cellValues(row.cells[f.column]).indexOf(f.select.value) >= 0;
        });
        var text = row.textContent.toLowerCase();
        keep = keep && words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " claims";
    }
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.claims-filter"), setUp);
  });
})();
