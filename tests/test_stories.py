"""Analyst views as readers meet them: story pages, change since last time, actors, regions, related briefings,
their feeds and JSON, on the example site and on small sites written for one behaviour each."""

from __future__ import annotations

import datetime as dt
import json
import re

import feedparser
import pytest

from briefgen.model import Briefing, TimelineEvent
from briefgen.stories import change_between, merged_timeline, related_briefings
from conftest import BASIC_CONFIG, EXAMPLE_BASE, briefing, run_cli, write_site
from helpers import local_target, soup, tree

STORY = "us-venezuela-crisis-2025"
UTC = dt.timezone.utc


@pytest.fixture
def example(example_output):
    return example_output


def story_briefings(example) -> list[dict]:
    """The story's briefings from the API, oldest first."""
    record = json.loads((example / f"api/stories/{STORY}.json").read_text())
    return sorted(record["briefings"], key=lambda b: b["date"])


# ---- stories ----------------------------------------------------------------------------------------------


def test_stories_index_lists_the_story_with_its_configured_title(example):
    page = soup(example / "stories/index.html")
    links = [a for a in page.select(".story-card__title a")]
    assert [a.get_text() for a in links] == ["US–Venezuela crisis, 2025"]
    assert local_target(example, "/briefings-demo/", links[0]["href"]) == example / f"stories/{STORY}/index.html"
    assert "airspace" in page.select_one(".story-card__description").get_text()


def test_story_page_shows_current_status_level_and_latest_briefing(example):
    page = soup(example / f"stories/{STORY}/index.html")
    briefings = story_briefings(example)
    latest = briefings[-1]
    signals = page.select_one(".story-header__signals").get_text(" ", strip=True)
    assert "Escalating" in signals and f"Level {latest['escalation_level']} of 5" in signals
    assert page.select_one(".story-latest .card__title a")["href"].endswith(f"/briefings/{latest['slug']}/")


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def same_event(a: str, b: str) -> bool:
    shorter = min(len(words(a)), len(words(b)))
    return len(words(a) & words(b)) >= 0.75 * shorter


def test_story_timeline_merges_every_dated_event_once_each_linked_to_its_briefing(example):
    page = soup(example / f"stories/{STORY}/index.html")
    shown = [(li.time["datetime"], li.select_one(".timeline__text").contents[0].strip(),
              li.select_one("a.timeline__source")["href"].split("/")[-2])
             for li in page.select(".story-timeline .timeline__event")]
    records = [json.loads(p.read_text()) for p in (example / "api/briefings").glob("*.json")]
    told = [(e["date"], e["text"], r["slug"]) for r in records for e in r["timeline"]]
    assert len(told) > len(shown) > 10  # some events are told by more than one briefing
    for date, text, slug in told:  # every event is on the story's timeline ...
        assert any(d == date and same_event(t, text) for d, t, _ in shown), text
    for index, (date, text, slug) in enumerate(shown):  # ... once, from a briefing that told it
        assert (date, text, slug) in told
        assert not any(d == date and same_event(t, text) for d, t, _ in shown[index + 1:]), text
    assert [date for date, _, _ in shown] == sorted(date for date, _, _ in shown)
    for slug in {slug for _, _, slug in shown}:
        assert (example / f"briefings/{slug}/index.html").is_file()


def test_story_chart_is_inline_accessible_svg_with_one_point_per_level(example):
    page = soup(example / f"stories/{STORY}/index.html")
    svg = page.select_one(".story-chart svg")
    assert svg["role"] == "img"
    labelled = svg["aria-labelledby"].split()
    assert [page.find(id=i).name for i in labelled] == ["title", "desc"]
    assert "US–Venezuela crisis, 2025" in page.find(id=labelled[0]).get_text()
    levels = [b["escalation_level"] for b in story_briefings(example)]
    description = page.find(id=labelled[1]).get_text()
    assert f"{len(levels)} briefings" in description and f"highest {max(levels)} of 5" in description
    points = svg.select("circle")
    assert len(points) == len(levels)
    assert [int(re.search(r"level (\d)", p.title.get_text()).group(1)) for p in points] == levels
    heights = [float(p["cy"]) for p in points]
    assert all((a < b) == (la > lb) for a, b, la, lb in zip(heights, heights[1:], levels, levels[1:]) if la != lb)
    assert not page.find("script", src=True)


def test_story_lists_all_its_briefings_across_its_pages(example):
    listed = []
    for html in sorted((example / f"stories/{STORY}").rglob("index.html")):
        listed += [a["href"] for a in soup(html).select(".story-briefings .card__title a")]
    assert sorted(h.split("/")[-2] for h in listed) == sorted(b["slug"] for b in story_briefings(example))


def test_each_briefing_links_to_the_previous_and_next_of_its_story(example):
    order = [b["slug"] for b in story_briefings(example)]
    for index, slug in enumerate(order):
        page = soup(example / f"briefings/{slug}/index.html")
        previous = page.select_one(".story-nav__previous a")
        following = page.select_one(".story-nav__next a")
        assert (previous["href"].split("/")[-2] if previous else None) == (order[index - 1] if index else None)
        assert (following["href"].split("/")[-2] if following else None) == (
            order[index + 1] if index + 1 < len(order) else None)
        assert page.select_one(".story-nav__story a")["href"].endswith(f"/stories/{STORY}/")


# ---- change since last time -------------------------------------------------------------------------------


def expected_changes(example) -> dict[str, str | None]:
    briefings = story_briefings(example)
    changes = {briefings[0]["slug"]: None}
    for previous, current in zip(briefings, briefings[1:]):
        difference = current["escalation_level"] - previous["escalation_level"]
        changes[current["slug"]] = "escalated" if difference > 0 else "de-escalated" if difference < 0 else "held"
    return changes


def test_change_since_the_previous_briefing_on_the_page_and_in_the_json(example):
    changes = expected_changes(example)
    assert {"escalated", "held", None} <= set(changes.values())
    index = {b["slug"]: b for b in json.loads((example / "api/briefings.json").read_text())["briefings"]}
    for slug, change in changes.items():
        page = soup(example / f"briefings/{slug}/index.html")
        badge = page.select_one(".briefing__header .change")
        record = json.loads((example / f"api/briefings/{slug}.json").read_text())
        assert record["change"] == index[slug]["change"] == change
        if change is None:
            assert badge is None and record["previous"] is None
        else:
            assert f"change--{change}" in badge["class"]
            assert badge.select_one(".change__label").get_text() == change.capitalize()
            assert record["previous"]["slug"] == badge.a["href"].split("/")[-2]


def test_change_in_every_feed_format(example):
    changes = expected_changes(example)
    atom = feedparser.parse((example / f"stories/{STORY}/atom.xml").read_bytes())
    assert not atom.bozo and len(atom.entries) == len(changes)
    for entry in atom.entries:
        change = changes[entry.link.split("/")[-2]]
        terms = {t.term for t in entry.get("tags", [])}
        if change:
            assert change in terms
            assert f"<strong>{change.capitalize()}</strong> since" in entry.content[0].value
        else:
            assert not terms & {"escalated", "held", "de-escalated"}
    rss = feedparser.parse((example / "feed.xml").read_bytes())
    assert any(t.term == "escalated" for e in rss.entries for t in e.get("tags", []))
    items = json.loads((example / f"stories/{STORY}/feed.json").read_text())["items"]
    assert {i["url"].split("/")[-2]: i["_briefgen"]["change"] for i in items} == changes


# ---- actors, regions, feeds -------------------------------------------------------------------------------


def test_actor_pages_gather_every_quote_by_that_person(example):
    records = [json.loads(p.read_text()) for p in sorted((example / "api/briefings").glob("*.json"))]
    quotes = {}
    for record in records:
        for quote in record["quotes"]:
            quotes.setdefault(quote["speaker"], []).append(quote["text"])
    assert "Gustavo Petro" in quotes
    for speaker, texts in quotes.items():
        actor = json.loads((example / f"api/actors/{slug_of(example, speaker)}.json").read_text())
        assert sorted(q["text"] for q in actor["quotes"]) == sorted(texts)
    page = soup(example / "actors/gustavo-petro/index.html")
    shown = [q.blockquote.get_text(strip=True) for q in page.select(".actor-quotes .quote-card")]
    assert shown and set(shown) <= set(quotes["Gustavo Petro"])
    for card in page.select(".actor-quotes .quote-card"):
        assert card.time["datetime"] and local_target(example, "/briefings-demo/", card.a["href"]).is_file()


def slug_of(example, name: str) -> str:
    actors = json.loads((example / "api/actors.json").read_text())["actors"]
    return next(a["slug"] for a in actors if a["name"] == name)


def test_briefing_pages_link_their_actors(example):
    page = soup(example / "briefings/petro-questions-airspace-closure/index.html")
    links = {a.get_text(): a["href"] for a in page.select(".facts__wide a") if "/actors/" in a["href"]}
    assert links["Gustavo Petro"] == "/briefings-demo/actors/gustavo-petro/"


def test_region_pages_like_tags(example):
    index = soup(example / "regions/index.html")
    names = [a.get_text() for a in index.select(".term-list a")]
    assert "Venezuela" in names and "Colombia" in names
    venezuela = soup(example / "regions/venezuela/index.html")
    assert venezuela.select(".card__title a")


@pytest.mark.parametrize("folder", [f"stories/{STORY}", "actors/gustavo-petro", "regions/colombia"])
def test_every_story_actor_and_region_has_three_feeds(example, folder):
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((example / folder / name).read_bytes())
        assert not parsed.bozo and parsed.entries
        assert all(local_target(example, "/briefings-demo/", e.link.replace(EXAMPLE_BASE, "/briefings-demo/")).is_file()
                   for e in parsed.entries)
    assert json.loads((example / folder / "feed.json").read_text())["items"]
    page = soup(example / folder / "index.html")
    assert {link["type"] for link in page.select('link[rel="alternate"]')} >= {
        "application/rss+xml", "application/atom+xml", "application/feed+json"}


# ---- related briefings ------------------------------------------------------------------------------------


def test_related_briefings_exclude_the_page_itself_and_its_story_neighbours(example):
    for html in (example / "briefings").glob("*/index.html"):
        page = soup(html)
        own = html.parent.name
        related = [a["href"].split("/")[-2] for a in page.select(".related a")]
        neighbours = {a["href"].split("/")[-2] for a in page.select(".story-nav__links a")}
        assert related and own not in related and not neighbours & set(related)
        assert len(related) == len(set(related)) <= 4


def made(slug: str, day: int, tags=(), actors=(), story=None, level=None, timeline=()) -> Briefing:
    return Briefing(source=f"content/{slug}.md", slug=slug, guid=None, title=slug.title(),
                    date=dt.datetime(2025, 11, day, 12, tzinfo=UTC), updated=None, summary="", lead_html="",
                    lead_text="", sections=(), toc=(), word_count=1, reading_minutes=1, tags=tuple(tags), regions=(),
                    actors=tuple(actors), sources=(), draft=False, lang=None, story=story, status=None,
                    escalation_level=level, timeline=tuple(timeline))


def test_related_scores_story_then_actors_then_tags_then_closeness():
    target = made("target", 10, tags=["oil"], actors=["Petro"], story="crisis")
    same_story = made("same-story", 1, story="crisis")
    same_actor = made("same-actor", 9, actors=["Petro"])
    same_tag_near = made("same-tag-near", 11, tags=["oil"])
    same_tag_far = made("same-tag-far", 20, tags=["oil"])
    unrelated = made("unrelated", 10, tags=["fishing"])
    briefings = (target, same_story, same_actor, same_tag_near, same_tag_far, unrelated)
    related = [b.slug for b in related_briefings(briefings)["target"]]
    assert related == ["same-story", "same-actor", "same-tag-near", "same-tag-far"]
    assert [b.slug for b in related_briefings(briefings[::-1])["target"]] == related


def test_change_follows_the_crisiswatch_convention():
    assert change_between(made("a", 1, level=2), made("b", 2, level=3)).direction == "escalated"
    assert change_between(made("a", 1, level=3), made("b", 2, level=1)).direction == "de-escalated"
    assert change_between(made("a", 1, level=3), made("b", 2, level=3)).direction == "held"
    assert change_between(made("a", 1), made("b", 2, level=3)) is None


def test_merged_timeline_keeps_each_event_once_from_its_first_briefing():
    day = dt.date(2025, 11, 29)
    first = made("first", 1, timeline=[TimelineEvent(day, "Airspace declared closed.")])
    second = made("second", 2, timeline=[TimelineEvent(day, "Airspace declared  CLOSED"),
                                         TimelineEvent(dt.date(2025, 11, 30), "Talks.")])
    merged = merged_timeline([second, first])
    assert [(e.date, e.briefing.slug) for e in merged] == [(day, "first"), (dt.date(2025, 11, 30), "second")]


# ---- config: actor aliases and story titles ---------------------------------------------------------------


def test_aliases_make_one_actor_of_several_spellings(tmp_path):
    site = write_site(tmp_path, {
        "briefgen.yaml": BASIC_CONFIG + "actors:\n  Gustavo Petro: [Petro, President Petro]\n"
                         "stories:\n  andes: {title: Andes watch, description: Tension in the Andes.}\n",
        "content/a.md": briefing("First", "2025-11-29", story="andes", escalation_level=2,
                                 body='Lead.\n\n## Reactions\n\n"We will not accept it," Petro said.\n'),
        "content/b.md": briefing("Second", "2025-11-30", story="andes", escalation_level=1, actors="[Gustavo Petro]",
                                 body='Lead.\n\n## Reactions\n\n"Airspace is sovereign," said President Petro.\n'),
    })
    result = run_cli("build", "--quiet", cwd=site)
    assert result.exit_code == 0, result.output
    actors = json.loads((site / "site/api/actors.json").read_text())["actors"]
    assert [(a["name"], a["briefings"], a["quotes"]) for a in actors] == [("Gustavo Petro", 2, 2)]
    page = soup(site / "site/actors/gustavo-petro/index.html")
    assert len(page.select(".actor-quotes .quote-card")) == 2
    story = soup(site / "site/stories/andes/index.html")
    assert story.h1.get_text() == "Andes watch"
    assert json.loads((site / "site/api/briefings/b.json").read_text())["change"] == "de-escalated"


def test_a_bad_stories_config_is_a_clear_error(tmp_path):
    site = write_site(tmp_path, {
        "briefgen.yaml": BASIC_CONFIG + "stories:\n  andes: [not, a, title]\n",
        "content/a.md": briefing("First", "2025-11-29"),
    })
    result = run_cli("build", cwd=site)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "briefgen.yaml:" in result.output and "stories" in result.output


def test_a_new_briefing_updates_its_neighbours_and_matches_a_cold_build(tmp_path):
    site = write_site(tmp_path, {
        "briefgen.yaml": BASIC_CONFIG,
        "content/a.md": briefing("First", "2025-11-27", story="andes", escalation_level=2, tags="[oil]"),
        "content/b.md": briefing("Second", "2025-11-28", story="andes", escalation_level=3, tags="[oil]"),
    })
    assert run_cli("build", "-q", cwd=site).exit_code == 0
    (site / "content/c.md").write_text(briefing("Third", "2025-11-29", story="andes", escalation_level=3,
                                                tags="[oil]"))
    assert run_cli("build", "-q", cwd=site).exit_code == 0
    second = soup(site / "site/briefings/b/index.html")
    assert second.select_one(".story-nav__next a")["href"] == "/demo/briefings/c/"
    assert json.loads((site / "site/api/briefings/c.json").read_text())["change"] == "held"
    assert run_cli("build", "-q", "--no-cache", "--output", str(tmp_path / "cold"), cwd=site).exit_code == 0
    assert tree(site / "site") == tree(tmp_path / "cold")


def test_related_briefings_follow_a_tag_edit_and_match_a_cold_build(tmp_path):
    site = write_site(tmp_path, {
        "briefgen.yaml": BASIC_CONFIG,
        "content/a.md": briefing("Oil", "2025-11-27", tags="[oil]"),
        "content/b.md": briefing("Ports", "2025-11-28", tags="[ports]"),
        "content/c.md": briefing("More oil", "2025-11-29", tags="[oil]"),
    })

    def related_to_c() -> list[str]:
        page = soup(site / "site/briefings/c/index.html")
        return [a["href"].split("/")[-2] for a in page.select(".related a")]

    assert run_cli("build", "-q", cwd=site).exit_code == 0
    assert related_to_c() == ["a"]
    (site / "content/b.md").write_text(briefing("Ports", "2025-11-28", tags="[ports, oil]"))
    assert run_cli("build", "-q", cwd=site).exit_code == 0
    assert related_to_c() == ["b", "a"]  # the nearer in time first
    (site / "content/b.md").write_text(briefing("Ports", "2025-11-28", tags="[ports, oil]", body="Changed.\n"))
    assert run_cli("build", "-q", cwd=site).exit_code == 0  # relations unchanged: answered from the cache
    assert related_to_c() == ["b", "a"]
    assert run_cli("build", "-q", "--no-cache", "--output", str(tmp_path / "cold"), cwd=site).exit_code == 0
    assert tree(site / "site") == tree(tmp_path / "cold")
