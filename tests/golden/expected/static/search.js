/* Search for a briefgen site: reads ?q=, looks its words up in the static index under search/ and lists the
   briefings that contain every word (the last word may be the start of one). No external requests.
   The index format and the word normalisation are briefgen/search.py's; keep the two in step.
   Every word it shows comes from the page (data- attributes of #search-results, from the theme's messages),
   so it speaks the page's language. */
(() => {
  "use strict";
  const region = document.getElementById("search-results");
  if (!region || !window.fetch) return;
  const base = region.dataset.base || "/";
  const data = base + "search/";
  const input = document.getElementById("search-query");
  const PAGE = 20;
  const MARKS = /\p{M}/gu;
  const TOKEN = /[\p{L}\p{N}]{2,}/gu;
  const loaded = new Map();
  const words = region.dataset;
  const lang = words.lang || document.documentElement.lang || "en";
  const plural = new Intl.PluralRules(lang);
  const numbers = new Intl.NumberFormat(lang);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  /* "{count} briefings found" in the form this count takes in the page's language (data-found-one, -other…) */
  const found = (count) => {
    const category = plural.select(count);
    const form = words["found" + category[0].toUpperCase() + category.slice(1)] || words.foundOther || "{count}";
    return fill(form, { count: numbers.format(count) });
  };

  const withoutMarks = (text) => text.normalize("NFKD").replace(MARKS, "");
  const normalise = (text) => withoutMarks(withoutMarks(text).toUpperCase().toLowerCase()).replace(/ς/g, "σ");
  const wordsOf = (text) => normalise(text).match(TOKEN) || [];

  function shardName(word) {
    const prefix = Array.from(word).slice(0, 2).join("");
    if (/^[a-z0-9]+$/.test(prefix)) return prefix;
    return "x" + Array.from(prefix, (c) => c.codePointAt(0).toString(16)).join("-");
  }

  function load(path, fresh) {
    if (!loaded.has(path)) {
      loaded.set(path, fetch(data + path, fresh ? { cache: "no-cache" } : {}).then((response) => {
        if (!response.ok) throw new Error(`${response.status} for ${path}`);
        return response.json();
      }));
    }
    return loaded.get(path);
  }

  function split(run, width) {
    const ids = [];
    for (let at = 0; at < run.length; at += width) ids.push(run.slice(at, at + width));
    return ids;
  }

  /* Each term → the ids containing it and those whose title does; the last term matches as a prefix. */
  async function lookUp(term, prefix, index) {
    const found = { all: new Set(), title: new Set() };
    const name = shardName(term);
    if (!index.shards.includes(name)) return found;
    const shard = await load(`w/${encodeURIComponent(name)}.json?v=${index.token}`);
    const add = (entry) => {
      split(entry[0], index.idLength).forEach((id) => found.all.add(id));
      split(entry[1], index.idLength).forEach((id) => found.title.add(id));
    };
    if (prefix) {
      for (const [word, entry] of Object.entries(shard)) if (word.startsWith(term)) add(entry);
    } else if (Object.prototype.hasOwnProperty.call(shard, term)) {
      add(shard[term]);
    }
    return found;
  }

  /* Ids of the briefings holding every term: most title matches first, then newest first. */
  async function rank(terms, index) {
    const sets = await Promise.all(terms.map((term, i) => lookUp(term, i === terms.length - 1, index)));
    const smallest = sets.reduce((a, b) => (b.all.size < a.all.size ? b : a));
    const position = new Map(split(index.order, index.idLength).map((id, at) => [id, at]));
    const hits = [...smallest.all].filter((id) => position.has(id) && sets.every((set) => set.all.has(id)));
    const score = new Map(hits.map((id) => [id, sets.filter((set) => set.title.has(id)).length]));
    return hits.sort((a, b) => score.get(b) - score.get(a) || position.get(a) - position.get(b));
  }

  async function records(ids, index) {
    const prefixes = [...new Set(ids.map((id) => id.slice(0, 2)))];
    const files = await Promise.all(prefixes.map((p) => load(`docs/${p}.json?v=${index.token}`)));
    const byId = Object.assign({}, ...files);
    return ids.filter((id) => byId[id]).map((id) => byId[id]);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function result([route, title, date, summary]) {
    const item = element("li", "search-result");
    const heading = element("h2", "search-result__title");
    const link = element("a", "", title);
    link.href = base + route;
    heading.append(link);
    item.append(heading, element("p", "search-result__date", date));
    if (summary) item.append(element("p", "search-result__summary", summary));
    return item;
  }

  function say(text) {
    region.replaceChildren(element("p", "search-count", text));
  }

  async function show(query) {
    const terms = [...new Set(wordsOf(query))];
    if (!terms.length) {
      if (query.trim()) say(words.short || "");
      return;
    }
    region.setAttribute("aria-busy", "true");
    try {
      const index = await load("index.json", true);
      const ids = await rank(terms, index);
      const count = element("p", "search-count", ids.length
        ? found(ids.length)
        : fill(words.none || "", { query: query.trim() }));
      const list = element("ol", "search-list");
      const more = element("button", "search-more", words.more || "");
      more.type = "button";
      let shown = 0;
      const next = async () => {
        const items = (await records(ids.slice(shown, shown + PAGE), index)).map(result);
        shown += PAGE;
        list.append(...items);
        more.hidden = shown >= ids.length;
        return items;
      };
      more.addEventListener("click", async () => {
        const items = await next();
        if (items.length) items[0].querySelector("a").focus();
      });
      await next();
      region.replaceChildren(count, ...(ids.length ? [list, more] : []));
    } catch (error) {
      say(words.failed || "");
    } finally {
      region.setAttribute("aria-busy", "false");
    }
  }

  const query = new URLSearchParams(window.location.search).get("q") || "";
  if (input) input.value = query;
  show(query);
})();
