// Search of the atlas with Pagefind: the header search box on every page and the Explore page's
// facets. Pagefind's index is split into small chunks that load only when a query needs them.
// Text from the index is always inserted as text (textContent), never as HTML.

const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
const root = new URL((config.base || ".").replace(/\/?$/, "/"), document.baseURI);
const FACETS = [["type", "Type"], ["year", "Year"], ["task", "Task"], ["method", "Method"], ["tag", "Tag"]];
const SHOWN_VALUES = 12;
// Every paper page holds this word (see main.html). Listing papers by filters alone would make
// Pagefind fetch its whole index (7 MB at 10,000 papers); searching this one word fetches one chunk.
const EVERY_PAPER = "atlaspaper";
const PAGE_SIZE = 20;

let loading = null;

/** Pagefind's module, loaded once on first use. */
function pagefind() {
  if (!loading) {
    loading = import(new URL("pagefind/pagefind.js", root).href).then(async (module) => {
      await module.options({ baseUrl: root.pathname, excerptLength: 20 });
      await module.init();
      return module;
    });
  }
  return loading;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Pagefind's excerpt (text with <mark> around matches) as DOM nodes, without parsing it as HTML.
 * The word every paper page ends with (EVERY_PAPER) is not the paper's text: it is left out. */
function excerptNodes(excerpt) {
  const decoder = document.createElement("textarea");
  const nodes = [];
  const marker = new RegExp("\\s*(<mark>)?" + EVERY_PAPER + "(</mark>)?\\s*$");
  excerpt.replace(marker, "").split(/(<mark>|<\/mark>)/).reduce((marked, part) => {
    if (part === "<mark>") return true;
    if (part === "</mark>") return false;
    decoder.innerHTML = part.replace(/</g, "&lt;");
    const text = decoder.value;
    if (text) nodes.push(marked ? element("mark", "", text) : document.createTextNode(text));
    return marked;
  }, false);
  return nodes;
}

/** One result: the paper's title as a link, its method, type and year, and the excerpt. */
function resultItem(tag, data, withExcerpt = true) {
  const item = element(tag, "atlas-result");
  const link = element("a", "atlas-result__title", data.meta.title || data.url);
  link.href = data.url;
  const facts = [data.filters.method?.[0], data.filters.type?.[0], data.filters.year?.[0]].filter(Boolean);
  item.append(link, element("span", "atlas-result__facts", facts.join(" · ")));
  if (withExcerpt) {
    const excerpt = element("span", "atlas-result__excerpt");
    excerpt.append(...excerptNodes(data.excerpt || ""));
    item.append(excerpt);
  }
  return item;
}

function debounce(work, wait) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => work(...args), wait);
  };
}

/** The header search box: results under the box as one types; Enter opens the Explore page. */
function headerSearch() {
  const form = document.querySelector("form.atlas-search");
  const inner = document.querySelector(".md-header__inner");
  if (!form || !inner) return;
  inner.insertBefore(form, inner.querySelector(".md-header__source"));
  form.hidden = false;
  const input = form.querySelector("input");
  const box = form.querySelector(".atlas-search__results");
  let latest = 0;
  const close = () => { box.hidden = true; input.setAttribute("aria-expanded", "false"); };
  const run = debounce(async () => {
    const ticket = ++latest;
    const query = input.value.trim();
    if (!query) return close();
    const found = await (await pagefind()).search(query);
    const shown = await Promise.all(found.results.slice(0, 8).map((r) => r.data()));
    if (ticket !== latest) return;
    box.replaceChildren(...shown.map((data) => resultItem("div", data)));
    if (!shown.length) box.append(element("p", "atlas-search__none", "No paper matches."));
    if (found.results.length > shown.length) {
      const more = element("a", "atlas-search__more", `All ${found.results.length} results on the Explore page`);
      more.href = new URL(`explore/?q=${encodeURIComponent(query)}`, root).href;
      box.append(more);
    }
    box.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }, 120);
  input.addEventListener("input", run);
  input.addEventListener("focus", () => { pagefind(); if (input.value.trim()) run(); });
  input.addEventListener("keydown", (event) => { if (event.key === "Escape") { close(); input.blur(); } });
  document.addEventListener("click", (event) => { if (!form.contains(event.target)) close(); });
}

// The Explore page's orders, as Pagefind sorts (the keys come from generator/site/search.py, which
// gives every paper every key: Pagefind leaves pages without the key out of sorted results).
const ORDERS = { newest: { newest: "desc" }, added: { added: "desc" }, title: { title: "asc" } };

// Up to this many results, the BibTeX comes from each result's own Pagefind fragment (one small
// request a paper, none for those shown already). Beyond, the page also weighs the shards of
// data/bibtex/ (generator/site/search.py, write_bibtex_shards) and takes the cheaper way.
const FRAGMENTS_UP_TO = 100;
const REQUEST_COST = 2048;  // a request counted as this many bytes when choosing the way

/** One result's entry from its Pagefind fragment: the `bibtex` meta, a JSON string (search.meta_text). */
async function fragmentEntry(result) {
  try {
    const text = JSON.parse((await result.data()).meta.bibtex || '""');
    return typeof text === "string" ? text : "";
  } catch {
    return "";
  }
}

/** The JSON of a gzip-compressed response. */
async function unzipped(response) {
  if (!response.ok) throw new Error(`${response.status} for ${response.url}`);
  return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).json();
}

/** The entries of ``results`` from the BibTeX shards, as a Map by id, when fetching the shards
 * they are in costs less than fetching their fragments; empty otherwise, or when the site has no
 * shards (a live preview) or the browser cannot decompress them. */
async function shardEntries(results) {
  const found = new Map();
  if (typeof DecompressionStream === "undefined") return found;
  try {
    const index = await unzipped(await fetch(new URL("data/bibtex/index.gzjson", root)));
    const where = new Map();
    index.shards.forEach((ids, shard) => ids.forEach((id, position) => where.set(id, [shard, position])));
    const needed = new Set(results.map((r) => where.get(r.id)?.[0]).filter((shard) => shard !== undefined));
    const shardCost = [...needed].reduce((sum, shard) => sum + (index.bytes[shard] || 0) + REQUEST_COST, 0);
    if (shardCost >= results.length * ((index.fragment_bytes || 0) + REQUEST_COST)) return found;
    await Promise.all([...needed].map(async (shard) => {
      const entries = await unzipped(await fetch(new URL(`data/bibtex/${shard}.gzjson`, root)));
      index.shards[shard].forEach((id, position) => {
        if (typeof entries[position] === "string") found.set(id, entries[position]);
      });
    }));
  } catch {
    // No shards or a damaged one: the fragments give what is missing.
  }
  return found;
}

/** The BibTeX entries of search results, in their order, as one text. */
async function bibtexOf(results) {
  const shards = results.length > FRAGMENTS_UP_TO ? await shardEntries(results) : new Map();
  const entries = await Promise.all(results.map((r) => shards.has(r.id) ? shards.get(r.id) : fragmentEntry(r)));
  return entries.map((entry) => entry.trim()).filter(Boolean).map((entry) => entry + "\n").join("\n");
}

/** Offer ``text`` as a file download, made in the browser. */
function download(text, name) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/x-bibtex" }));
  const link = element("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The Explore page: a query, facets with counts, an order, the matching papers and their BibTeX. */
function explore() {
  const host = document.getElementById("atlas-explore");
  if (!host) return;
  const params = new URLSearchParams(location.search);
  const state = { query: params.get("q") || "", selected: {}, open: new Set(), shown: PAGE_SIZE, found: null,
                  sort: params.get("sort") || "" };
  for (const [name] of FACETS) state.selected[name] = new Set(params.getAll(name));
  const input = host.querySelector(".atlas-explore__query");
  const facets = host.querySelector(".atlas-explore__facets");
  const count = host.querySelector(".atlas-explore__count");
  const list = host.querySelector(".atlas-explore__list");
  const more = host.querySelector(".atlas-explore__more");
  const order = host.querySelector(".atlas-explore__sort");
  const bibtexButton = host.querySelector(".atlas-explore__bibtex");
  const copyButton = host.querySelector(".atlas-explore__copy");
  const status = host.querySelector(".atlas-explore__status");
  input.value = state.query;
  host.hidden = false;
  let latest = 0;

  // Relevance needs words to be relevant to; without a query the default is newest first.
  const sortName = () => (state.sort in ORDERS || (state.sort === "relevance" && state.query)) ? state.sort
    : (state.query ? "relevance" : "newest");

  async function update() {
    const ticket = ++latest;
    const module = await pagefind();
    const filters = {};
    for (const [name] of FACETS) if (state.selected[name].size) filters[name] = { any: [...state.selected[name]] };
    const options = { filters: await narrowing(module, filters) };
    const sorting = sortName();
    if (ORDERS[sorting]) options.sort = ORDERS[sorting];
    const found = await module.search(state.query || EVERY_PAPER, options);
    const shown = await Promise.all(found.results.slice(0, state.shown).map((r) => r.data()));
    if (ticket !== latest) return;
    drawFacets(await facetCounts(module, filters, found));
    state.found = found;
    count.textContent = `${found.results.length} paper${found.results.length === 1 ? "" : "s"}`;
    list.replaceChildren(...shown.map((data) => resultItem("li", data, Boolean(state.query))));
    more.hidden = found.results.length <= shown.length;
    order.value = sorting;
    order.querySelector('option[value="relevance"]').disabled = !state.query;
    bibtexButton.disabled = copyButton.disabled = !found.results.length;
    const query = new URLSearchParams();
    if (state.query) query.set("q", state.query);
    for (const [name] of FACETS) for (const value of [...state.selected[name]].sort()) query.append(name, value);
    if (state.sort && state.sort === sorting) query.set("sort", state.sort);
    history.replaceState(null, "", query.toString() ? `?${query}` : location.pathname);
  }

  // The BibTeX of every paper found (not only those shown), for the download and the copy button.
  async function selection(action, done) {
    const found = state.found;
    if (!found || !found.results.length) return;
    status.textContent = `Gathering ${found.results.length} entries…`;
    try {
      const text = await bibtexOf(found.results);
      await action(text);
      const entries = (text.match(/^@/gm) || []).length;
      status.textContent = `${entries} entr${entries === 1 ? "y" : "ies"} ${done}`;
    } catch (error) {
      status.textContent = `BibTeX not ${done}: ${error.message || error}`;
    }
  }
  bibtexButton.addEventListener("click", () => selection((text) => download(text, "atlas-selection.bib"), "downloaded"));
  copyButton.addEventListener("click", () => selection((text) => navigator.clipboard.writeText(text), "copied"));
  order.addEventListener("change", () => { state.sort = order.value; state.shown = PAGE_SIZE; update(); });

  // Pagefind counts filter values only when some filter is applied: with none chosen, apply one
  // that every paper passes (any of the types).
  async function narrowing(module, filters) {
    if (Object.keys(filters).length) return filters;
    return { type: { any: Object.keys((await module.filters()).type || {}) } };
  }

  // A facet's own selection is left out of its counts, so its other values stay offered (either-or).
  async function facetCounts(module, filters, found) {
    const counts = { ...found.filters };
    for (const [name] of FACETS) {
      if (!filters[name]) continue;
      const others = { ...filters };
      delete others[name];
      const wider = await module.search(state.query || EVERY_PAPER, { filters: await narrowing(module, others) });
      counts[name] = wider.filters?.[name] || {};
    }
    return counts;
  }

  function drawFacets(counts) {
    const groups = FACETS.map(([name, label]) => {
      const values = Object.entries(counts[name] || {})
        .filter(([value, n]) => n > 0 || state.selected[name].has(value))
        .sort(name === "year" ? (a, b) => b[0].localeCompare(a[0]) : (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      if (!values.length) return null;  // no paper has this field (yet)
      const group = element("fieldset", "atlas-facet");
      group.append(element("legend", "", label));
      const visible = state.open.has(name) ? values : values.slice(0, SHOWN_VALUES);
      for (const [value, n] of visible) {
        const option = element("label", "atlas-facet__value");
        const box = element("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.checked = state.selected[name].has(value);
        box.addEventListener("change", () => {
          box.checked ? state.selected[name].add(value) : state.selected[name].delete(value);
          state.shown = PAGE_SIZE;
          update();
        });
        option.append(box, element("span", "atlas-facet__name", value), element("span", "atlas-facet__count", String(n)));
        group.append(option);
      }
      if (values.length > visible.length) {
        const all = element("button", "atlas-facet__all md-button", `Show all ${values.length}`);
        all.type = "button";
        all.addEventListener("click", () => { state.open.add(name); drawFacets(counts); });
        group.append(all);
      }
      return group;
    });
    facets.replaceChildren(...groups.filter(Boolean));
  }

  input.addEventListener("input", debounce(() => { state.query = input.value.trim(); state.shown = PAGE_SIZE; update(); }, 150));
  more.addEventListener("click", () => { state.shown += PAGE_SIZE; update(); });
  update();
}

headerSearch();
explore();
