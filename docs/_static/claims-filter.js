/* Filters for the claims index: a drop-down per chapter (by its title), kind, status and
   evidence grade; a source box that matches what is typed within one source's publisher,
   title or ID (offering the publishers); and a word search over each claim's text, quotations and sources. Local, no
   dependencies, no network. It works on any table with the class "claims-filter" (set by
   the needtable's :class: option; idcpc_book/ext/book/claims_index.py names the columns)
   and leaves other pages alone. */
(function () {
  "use strict";
  var SELECTS = ["Chapter", "Kind", "Status", "Grade"];
  var SOURCES = "Sources";

  function cellValues(cell) {
    var links = cell.querySelectorAll("a");
    if (links.length > 0) {
      return Array.prototype.map.call(links, function (a) { return a.textContent.trim(); });
    }
    var text = cell.textContent.trim();
    return text ? [text] : [];
  }

  /* What a source filter or a search matches in a cell: its text and its links' titles
     (a source's ID and title). */
  function searchText(element) {
    var titles = Array.prototype.map.call(element.querySelectorAll("a[title]"), function (a) {
      return a.getAttribute("title");
    });
    return (element.textContent + " " + titles.join(" ")).toLowerCase();
  }

  function words(text) { return text.toLowerCase().split(/\s+/).filter(Boolean); }

  function labelled(name, control) {
    var label = document.createElement("label");
    label.textContent = name + " ";
    label.appendChild(control);
    return label;
  }

  function setUp(table, number) {
    var headers = Array.prototype.map.call(
      table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var controls = document.createElement("div");
    controls.className = "claims-filter-controls";
    var selects = [];
    SELECTS.forEach(function (name) {
      var column = headers.indexOf(name);
      if (column < 0) { return; }
      var values = {};
      rows.forEach(function (row) {
        cellValues(row.cells[column]).forEach(function (v) { values[v] = true; });
      });
      var select = document.createElement("select");
      select.appendChild(new Option("all", ""));
      Object.keys(values).sort().forEach(function (v) { select.appendChild(new Option(v, v)); });
      select.addEventListener("change", apply);
      controls.appendChild(labelled(name, select));
      selects.push({ column: column, select: select });
    });
    var sourceColumn = headers.indexOf(SOURCES);
    var source = null;
    if (sourceColumn >= 0) {
      var publishers = {};
      rows.forEach(function (row) {
        cellValues(row.cells[sourceColumn]).forEach(function (v) { publishers[v] = true; });
      });
      var list = document.createElement("datalist");
      list.id = "claims-filter-publishers-" + number;
      Object.keys(publishers).sort().forEach(function (v) { list.appendChild(new Option(v)); });
      source = document.createElement("input");
      source.type = "search";
      source.placeholder = "publisher, title or ID";
      source.setAttribute("list", list.id);
      source.addEventListener("input", apply);
      controls.appendChild(labelled("Source", source));
      controls.appendChild(list);
    }
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Search claims and quotations";
    search.setAttribute("aria-label", "Search claims and quotations");
    search.addEventListener("input", apply);
    controls.appendChild(search);
    var count = document.createElement("span");
    count.className = "claims-filter-count";
    count.setAttribute("aria-live", "polite");
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
    var texts = rows.map(function (row) { return searchText(row); });
    // each source of a row as "publisher ID: publisher, title": the source box matches what
    // is typed (or chosen from the publishers offered) within one source
    var sourceLinks = rows.map(function (row) {
      if (sourceColumn < 0) { return []; }
      return Array.prototype.map.call(row.cells[sourceColumn].querySelectorAll("a"), function (a) {
        return (a.textContent + " " + (a.getAttribute("title") || "")).toLowerCase();
      });
    });

    function apply() {
      var wanted = words(search.value);
      var sourcePhrase = source ? words(source.value).join(" ") : "";
      var shown = 0;
      rows.forEach(function (row, index) {
        var keep = selects.every(function (f) {
          return !f.select.value || cellValues(row.cells[f.column]).indexOf(f.select.value) >= 0;
        });
        if (keep && sourcePhrase) {
          keep = sourceLinks[index].some(function (s) { return s.indexOf(sourcePhrase) >= 0; });
        }
        keep = keep && wanted.every(function (w) { return texts[index].indexOf(w) >= 0; });
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
