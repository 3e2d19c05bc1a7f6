// 표 머리글을 누르면 그 열로 정렬합니다 (다시 누르면 반대 순서).
for (const table of document.querySelectorAll("table.sortable")) {
  const headers = [...table.tHead.rows[0].cells];
  headers.forEach((header, column) => {
    header.tabIndex = 0;
    const sort = () => {
      const descending = header.getAttribute("aria-sort") === "ascending";
      headers.forEach(h => h.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", descending ? "descending" : "ascending");
      const key = row => row.cells[column].dataset.sort ?? row.cells[column].textContent.trim();
      const rows = [...table.tBodies[0].rows];
      rows.sort((a, b) => {
        const x = key(a), y = key(b), nx = Number(x), ny = Number(y);
        const order = x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y, "ko");
        return descending ? -order : order;
      });
      table.tBodies[0].append(...rows);
    };
    header.addEventListener("click", sort);
    header.addEventListener("keydown", event => { if (event.key === "Enter") sort(); });
  });
}
