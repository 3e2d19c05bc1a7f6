// Typeset the formulas that pymdownx.arithmatex (generic mode) leaves as \( … \) and \[ … \].
// Material's document$ fires on every page load, including instant navigation.
document$.subscribe(({ body }) => {
  for (const element of body.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  }
});
