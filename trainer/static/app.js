// Progressive enhancement only: every page works without this file.
import { initAll } from "./build/govuk-frontend.min.js";

initAll();

// Glossary links show their definition in place; without script they open the glossary.
for (const link of document.querySelectorAll("a.app-link--term[title]")) {
  const definition = document.createElement("span");
  definition.className = "app-definition";
  definition.id = `definition-${Math.random().toString(36).slice(2)}`;
  definition.textContent = link.title;
  definition.hidden = true;
  link.removeAttribute("title");
  link.setAttribute("aria-expanded", "false");
  link.setAttribute("aria-controls", definition.id);
  link.after(definition);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    definition.hidden = !definition.hidden;
    link.setAttribute("aria-expanded", String(!definition.hidden));
  });
}
