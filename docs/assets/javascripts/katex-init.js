// Typeset the formulas that pymdownx.arithmatex (generic mode) leaves as \( … \) and \[ … \].
const katexOptions = {
  delimiters: [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ],
  throwOnError: false,
};

// Material's document$ fires on every page load, including instant navigation.
document$.subscribe(({ body }) => {
  for (const element of body.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, katexOptions);
  }
});

// Search results quote the pages' text, formulas included: typeset them as they appear.
const searchResults = document.querySelector(".md-search-result__list");
if (searchResults) {
  const observer = new MutationObserver(() => {
    observer.disconnect();
    renderMathInElement(searchResults, katexOptions);
    observer.observe(searchResults, { childList: true, subtree: true });
  });
  observer.observe(searchResults, { childList: true, subtree: true });
}
