/* The cite boxes of the claims (idcpc_book/ext/book/claims.py). Local, no dependencies.
   1. The access date: when a reader opens a box, its dates (spans of class
      "claim-cite-accessed", which hold the edition's date as written) become today's date,
      so a copied citation says when it was read.
   2. Site search: Sphinx's result summaries are the text of the page, which would show the
      boxes' BibTeX and JSON; the boxes (and the "report an error" links) are taken out of
      the page before it is summarised. The search index leaves them out already. */
(function () {
  "use strict";
  function today() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  }

  document.addEventListener("toggle", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("claim-cite") || !box.open) { return; }
    var date = today();
    Array.prototype.forEach.call(box.querySelectorAll(".claim-cite-accessed"), function (span) {
      span.textContent = date;
    });
  }, true);

  function withoutCiteBoxes(htmlString) {
    var page = new DOMParser().parseFromString(htmlString, "text/html");
    Array.prototype.forEach.call(page.querySelectorAll(".claim-cite, .claim-report"), function (box) {
      box.remove();
    });
    return page.documentElement.outerHTML;
  }

  document.addEventListener("DOMContentLoaded", function () {
    /* global Search */
    if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") { return; }
    var htmlToText = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      return htmlToText.call(Search, withoutCiteBoxes(htmlString), anchor);
    };
  });
})();
