"""The built-in search index: what it holds, how words are normalised, and that incremental builds keep it
byte-identical to a cold build."""

from __future__ import annotations

import json
import random
import sqlite3
import time
from pathlib import Path

import pytest

from briefgen import search
from briefgen.search import assign_ids, normalise, words_of
from conftest import BASIC_CONFIG, briefing, run_cli, write_site
from helpers import SearchReader, soup, tree
from test_incremental import built, corpus, settle  # noqa: F401  (corpus is a fixture)

BODY = "Lead about {lead}.\n\n## Context\n\nThe {word} was seen.\n\n## Impact\n\nMore {other}.\n"


def search_files(output: Path) -> dict[str, bytes]:
    return {path: data for path, data in tree(output).items() if path.startswith("search/")}


def cold_search_files(site: Path, tmp_path: Path, *args: str) -> dict[str, bytes]:
    output = tmp_path / "cold"
    result = run_cli("build", "-q", "--no-cache", "--output", str(output), *args, cwd=site)
    assert result.exit_code == 0, result.output
    return search_files(output)


@pytest.fixture
def word_site(tmp_path) -> Path:
    return write_site(tmp_path / "words", {
        "briefgen.yaml": BASIC_CONFIG,
        "content/2025-11-01-oil.md": briefing(
            "Oil exports resume", "2025-11-01", tags="[energy]",
            body=BODY.format(lead="Petróleos de Venezuela", word="tanker Straße", other="ΟΔΟΣ")),
        "content/2025-11-02-talks.md": briefing(
            "Escalation talks", "2025-11-02", body=BODY.format(lead="talks", word="escalation", other="oil")),
        "content/2025-11-03-draft.md": briefing("Hidden", "2025-11-03", draft="true",
                                                body=BODY.format(lead="x", word="quokkadraft", other="y")),
        "content/2030-01-01-future.md": briefing("Later", "2030-01-01",
                                                 body=BODY.format(lead="x", word="quokkafuture", other="y")),
    })


def test_normalisation_folds_accents_case_and_compatibility_forms():
    assert words_of("Petróleos de VENEZUELA") == ["petroleos", "de", "venezuela"]
    assert words_of("Straße ﬁnal №5 a b") == ["strasse", "final", "no5"]
    assert words_of("ΟΔΟΣ οδος οδοσ") == ["οδοσ"] * 3
    assert words_of("snake_case, 2025-11-29; 12") == ["snake", "case", "2025", "11", "29", "12"]
    assert words_of("الولايات المتحدة") == ["الولايات", "المتحدة"]
    assert normalise("İstanbul Çağrı") == "istanbul cagri"


def test_ids_are_short_stable_and_unique_whatever_the_order(monkeypatch):
    slugs = [f"briefing-{n}" for n in range(30)]
    ids = assign_ids(slugs)
    assert ids == assign_ids(reversed(slugs))
    assert len(set(ids.values())) == 30 and all(len(i) == search.ID_LENGTH for i in ids.values())
    monkeypatch.setattr(search, "ID_LENGTH", 1)
    monkeypatch.setattr(search, "ID_SPACE", 36)
    crowded = assign_ids(slugs)  # 30 slugs in 36 ids: clashes are settled by trying again
    assert len(set(crowded.values())) == 30 and crowded == assign_ids(sorted(slugs, reverse=True))


class MemoryWords:
    """A word source over dicts: encoded word lists by digest, and stored shards."""

    def __init__(self, words: dict[str, bytes], shards: dict[str, bytes]):
        self.words, self.stored = words, shards

    def current(self, digests):
        return {d: self.words[d] for d in digests}

    def previous(self, digests):
        return {d: self.words[d] for d in digests if d in self.words}

    def shards(self, names):
        return {n: self.stored[n] for n in names if n in self.stored}


def test_patching_the_index_gives_what_a_rebuild_gives():
    rng = random.Random(7)
    vocabulary = [f"{a}{b}{c}" for a in "abc" for b in "xyz" for c in "123"] + ["ábc", "日本語", "zz"]
    words: dict[str, bytes] = {}

    def document(name: str) -> str:
        chosen = rng.sample(vocabulary, rng.randint(0, 12))
        words[name] = search.DocWords(tuple(sorted(set(chosen))), tuple(sorted(set(chosen[:2])))).encode()
        return name

    docs = {f"{n:05d}": document(f"d{n}") for n in range(40)}
    first = search.rebuild_index(docs, MemoryWords(words, {}))
    stored, state = dict(first.changed), first.state
    for step in range(60):
        docs = dict(docs)
        for _ in range(rng.randint(1, 4)):
            action, doc_id = rng.choice(["add", "remove", "change"]), rng.choice(sorted(docs))
            if action == "remove" and len(docs) > 1:
                del docs[doc_id]
            else:
                target = doc_id if action == "change" else search._hashed_id(f"new-{step}-{_}", 0)
                docs[target] = document(f"s{step}-{_}")
        update = search.update_index(state, docs, MemoryWords(words, stored))
        assert not update.rebuilt
        stored = {name: data for name, data in {**stored, **update.changed}.items() if name in update.state.shards}
        assert stored == search.rebuild_index(docs, MemoryWords(words, {})).changed
        state = update.state


def test_every_example_briefing_is_found_by_every_word_of_its_body(example_output):
    index = SearchReader(example_output)
    records = sorted((example_output / "api/briefings").glob("*.json"))
    assert len(index.order) == len(records) > 5
    for path in records:
        record = json.loads(path.read_text(encoding="utf-8"))
        body = " ".join([record["lead"]["text"]] + [s["text"] for s in record["other_sections"]]
                        + [s["text"] for s in record["sections"].values() if s])
        route = f"briefings/{record['slug']}/"
        for word in set(words_of(body)):
            assert route in index.query(word), (word, route)


def test_accents_case_and_prefixes_and_the_title_ranking(word_site):
    index = SearchReader(built(word_site))
    assert index.query("PETROLEOS") == index.query("petróleos") == ["briefings/oil/"]
    assert index.query("strasse") == index.query("STRASSE") == ["briefings/oil/"]
    assert index.query("οδος") == ["briefings/oil/"]
    assert index.query("escal") == ["briefings/talks/"]  # the last word matches the start of a word
    assert index.query("escal talks") == []  # only the last word does
    assert index.query("oil") == ["briefings/oil/", "briefings/talks/"]  # a title match first, though older
    assert index.query("energy oil") == ["briefings/oil/"]
    assert index.query("x") == []


def test_drafts_and_future_briefings_are_indexed_only_when_the_build_includes_them(word_site, tmp_path):
    output = built(word_site)
    assert SearchReader(output).query("quokkadraft") == SearchReader(output).query("quokkafuture") == []
    assert "quokkadraft" not in json.dumps(search_files(output), default=str)
    output = built(word_site, "--drafts", "--future")
    assert SearchReader(output).query("quokkadraft") == ["briefings/draft/"]
    assert SearchReader(output).query("quokkafuture") == ["briefings/future/"]
    assert search_files(output) == cold_search_files(word_site, tmp_path, "--drafts", "--future")


def test_the_search_page_and_the_header_box(word_site):
    output = built(word_site)
    page = soup(output / "search/index.html")
    region = page.find(id="search-results")
    assert region["aria-live"] == "polite" and region["data-base"] == "/demo/"
    script = page.find("script", src=True)
    assert script["src"].startswith("/demo/static/search.js?v=") and script.has_attr("defer")
    assert "needs JavaScript" in page.find("noscript").get_text()
    assert {a["href"] for a in page.find("noscript").find_all("a")} == {"/demo/archive/", "/demo/tags/"}
    for html in (output / "index.html", output / "briefings/oil/index.html", output / "search/index.html"):
        box = soup(html).select_one("header form[role=search]")
        assert box["action"] == "/demo/search/" and box["method"] == "get"
        assert box.find("input", attrs={"name": "q"})["aria-label"]
    assert not any(soup(p).find("script", src=lambda s: s and "search.js" in s)
                   for p in output.rglob("*.html") if p != output / "search/index.html")


def test_search_false_turns_the_index_the_page_and_the_box_off(word_site):
    config = word_site / "briefgen.yaml"
    config.write_text(config.read_text() + "search: false\n")
    output = built(word_site)
    assert not (output / "search").exists()
    assert soup(output / "index.html").find("form", attrs={"role": "search"}) is None


def test_a_wrong_search_value_is_reported_not_raised(word_site):
    config = word_site / "briefgen.yaml"
    config.write_text(config.read_text() + "search: sometimes\n")
    result = run_cli("build", cwd=word_site)
    assert result.exit_code == 1
    assert "briefgen.yaml:7:9: search:" in result.output


def test_incremental_builds_keep_the_index_identical_to_a_cold_one(corpus, tmp_path):  # noqa: F811
    built(corpus)
    files = sorted((corpus / "content").glob("*.md"))
    new_file = corpus / "content" / "2030-01-01-new.md"
    steps = [
        lambda: files[3].write_text(files[3].read_text() + "\nA zanzibarite appeared.\n"),
        lambda: files[4].write_text(files[4].read_text().replace("title: \"Briefing 4:", "title: \"Zanzibarite 4:")),
        lambda: files[10].unlink(),
        lambda: new_file.write_text(briefing("A new one", "2025-12-24", body=BODY.format(
            lead="new", word="zanzibarite", other="ok"))),
        lambda: files[20].write_text(files[20].read_text().replace("---\ntitle", "---\ndraft: true\ntitle", 1)),
        lambda: files[20].write_text(files[20].read_text().replace("draft: true\n", "", 1)),
        lambda: files[3].write_text(files[3].read_text().replace("A zanzibarite appeared.", "")),
        lambda: files[5].write_text(files[5].read_text().replace("---\ntitle", "---\nslug: renamed-five\ntitle", 1)),
    ]
    found = []
    for step in steps:
        settle()
        step()
        output = built(corpus)
        assert search_files(output) == cold_search_files(corpus, tmp_path)
        found.append(SearchReader(output).query("zanzibarite"))
    assert found[0] == ["briefings/briefing-000003/"]
    assert found[1] == ["briefings/briefing-000004/", "briefings/briefing-000003/"]  # the title match first
    assert found[3] == ["briefings/briefing-000004/", "briefings/new/", "briefings/briefing-000003/"]  # newest
    assert found[6] == ["briefings/briefing-000004/", "briefings/new/"]
    index = SearchReader(output)
    every = index.query("briefing")
    assert len(index.order) == len(list((output / "api/briefings").glob("*.json")))
    assert "briefings/renamed-five/" in every and "briefings/briefing-000005/" not in every
    assert "briefings/briefing-000010/" not in every  # the deleted one


@pytest.mark.parametrize("damage", ["state", "shards", "words", "garbled words"])
def test_a_damaged_index_in_the_cache_is_rebuilt(corpus, tmp_path, damage):  # noqa: F811
    built(corpus)
    database = sqlite3.connect(corpus / ".briefgen-cache" / "build.sqlite")
    with database:
        if damage == "state":
            database.execute("UPDATE search SET data = x'00' WHERE name = ''")
        elif damage == "shards":
            database.execute("DELETE FROM search WHERE name IN ('pr', 'an', 'zz')")
        elif damage == "words":
            database.execute("DELETE FROM words")
        else:
            database.execute("UPDATE words SET words = x'00ff'")
    database.close()
    settle()
    files = sorted((corpus / "content").glob("*.md"))
    files[2].write_text(files[2].read_text().replace("## ", "A proposal and an anomaly.\n\n## ", 1))
    output = built(corpus)
    assert search_files(output) == cold_search_files(corpus, tmp_path)
    assert SearchReader(output).query("anomaly") == ["briefings/briefing-000002/"]


def test_serve_keeps_the_index_up_to_date(word_site):
    from briefgen.build import BuildOptions
    from briefgen.serve import DevServer
    from test_author_loop import wait_for

    server = DevServer(word_site / "briefgen.yaml", BuildOptions(), port=0)
    server.start()
    try:
        assert SearchReader(server.output).query("tanker") == ["briefings/oil/"]
        time.sleep(1)  # the watcher starts in the background
        source = word_site / "content/2025-11-01-oil.md"
        source.write_text(source.read_text().replace("tanker", "wombatiana"))
        wait_for(lambda: SearchReader(server.output).query("wombatiana") == ["briefings/oil/"])
        assert SearchReader(server.output).query("tanker") == []
    finally:
        server.stop()
