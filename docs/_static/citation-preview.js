// Citation previews for touch screens. A citation's link carries its full reference as its
// title, which a mouse shows on hover; a finger cannot hover. On a screen without hover the
// first tap on a citation shows the full reference under the line, with a link to the
// bibliography entry; a second tap on the same citation follows it. Written as text, never
// as HTML (the reference is data). Inert where the screen can hover.
(() => {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(hover: none)").matches) return;
  let open = null;
  const close = () => {
    if (open) open.box.remove();
    open = null;
  };
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".bibtex-citation a[title]");
    if (!link) {
      if (open && !open.box.contains(event.target)) close();
      return;
    }
    if (open && open.link === link) {
      close();
      return; // the second tap follows the link
    }
    event.preventDefault();
    close();
    const box = document.createElement("span");
    box.className = "citation-preview";
    box.setAttribute("role", "note");
    box.textContent = link.title + " ";
    const go = document.createElement("a");
    go.href = link.href;
    go.textContent = "Bibliography entry";
    box.append(go);
    link.closest(".bibtex-citation").after(box);
    open = { link, box };
  });
})();
