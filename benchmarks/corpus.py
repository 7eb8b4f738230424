"""A deterministic corpus of N generated briefings for benchmarks (the same N and seed give the same bytes).

Each briefing has about 700 words: a lead, the four sections (context, escalation, reactions, impact), two or
three attributed quotes, a dated timeline list, 2–4 tags, regions, actors, a story and sources.

    python benchmarks/corpus.py 10000 /tmp/corpus-10k
    python benchmarks/corpus.py 10000 /tmp/corpus-10k-3 --languages en,es,ar   # 3,334 briefings × 3 versions
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

WORDS = ("government officials said the talks would continue despite rising tension along the border while "
         "analysts warned that sanctions could deepen the economic crisis and regional leaders called for calm "
         "as diplomats prepared new proposals for a negotiated settlement between the rival parties in the "
         "capital where protests grew larger and the military increased patrols near ports and airports").split()
FIRST_NAMES = ("Ana", "Luis", "Marta", "Jorge", "Sofia", "Carlos", "Elena", "Pedro", "Lucia", "Diego", "Rosa",
               "Miguel", "Clara", "Andres", "Paula", "Tomas")
LAST_NAMES = ("Rivera", "Gomez", "Herrera", "Castro", "Morales", "Ortega", "Vargas", "Mendoza", "Rojas", "Silva",
              "Navarro", "Delgado", "Paredes", "Fuentes", "Salazar", "Cabrera")
ROLES = ("foreign minister", "spokesperson", "opposition leader", "defence analyst", "ambassador", "governor")
REGIONS = ("Caribbean", "Andes", "Amazon", "Central America", "Southern Cone", "Gulf Coast", "Pacific Coast",
           "Orinoco Basin")
HEADINGS = {
    "context": ("Context", "Background", "How we got here", "The big picture"),
    "escalation": ("Escalation", "Driving the news", "The latest", "Developments"),
    "reactions": ("Reactions", "What they're saying", "Regional reactions"),
    "impact": ("Impact", "Why it matters", "What's next", "Outlook"),
}
TAGS = tuple(f"topic-{n:03d}" for n in range(200))
STORIES = tuple(f"story-{n:03d}" for n in range(100))


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: int) -> str:
    parts, left = [], words
    while left > 0:
        size = min(left, rng.randint(12, 22))
        parts.append(sentence(rng, size))
        left -= size
    return " ".join(parts)


def briefing(index: int, rng: random.Random, start: dt.datetime, step_minutes: int = 420) -> tuple[str, str]:
    hour = step_minutes // 7  # a seventh of the step: an hour in the usual 7-hour step
    when = start + dt.timedelta(minutes=index * step_minutes + rng.randint(0, 5) * hour + rng.randint(0, 59))
    people = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(3)]
    tags = rng.sample(TAGS, rng.randint(2, 4))
    regions = rng.sample(REGIONS, rng.randint(1, 2))
    slug = f"briefing-{index:06d}"
    lines = [
        "---",
        f"title: \"Briefing {index}: {sentence(rng, 6)[:-1]}\"",
        f"date: {when.isoformat(timespec='seconds')}",
        f"tags: [{', '.join(tags)}]",
        f"regions: [{', '.join(regions)}]",
        f"actors: [{', '.join(people[:2])}]",
        f"story: {rng.choice(STORIES)}",
        f"status: {rng.choice(('escalating', 'steady', 'de-escalating'))}",
        f"escalation_level: {rng.randint(1, 5)}",
        "sources:",
        "  - name: Example Wire",
        f"    url: https://news.example.org/{slug}",
        "---",
        "",
        paragraph(rng, 60),
        "",
        f"## {rng.choice(HEADINGS['context'])}",
        "",
        paragraph(rng, 110),
        "",
        paragraph(rng, 90),
        "",
        f"## {rng.choice(HEADINGS['escalation'])}",
        "",
        paragraph(rng, 80),
        "",
    ]
    for step in range(4):
        day = (when - dt.timedelta(days=(4 - step) * 3)).date().isoformat()
        lines.append(f"- **{day}** — {sentence(rng, 10)}")
    lines += [
        "",
        f"## {rng.choice(HEADINGS['reactions'])}",
        "",
        f"> {sentence(rng, 18)}",
        ">",
        f"> — {people[0]}, {rng.choice(ROLES)}",
        "",
        f"{paragraph(rng, 40)} \"{sentence(rng, 12)[:-1]},\" {people[1].split()[1]} said.",
        "",
        f"{people[2]} said \"{sentence(rng, 14)[:-1]}\" on the record.",
        "",
        f"## {rng.choice(HEADINGS['impact'])}",
        "",
        paragraph(rng, 110),
        "",
        paragraph(rng, 60),
        "",
    ]
    return f"{when.date().isoformat()}-{slug}.md", "\n".join(lines)


LAST = dt.datetime(2025, 12, 1)  # the benchmark builds as of 2026-01-01


def generate(count: int, folder: Path, seed: int = 2025, base_url: str = "https://bench.example.org/",
             languages: tuple[str, ...] = ()) -> Path:
    """Write a site folder (briefgen.yaml + content/) with ``count`` briefings; returns the folder. With
    ``languages``, each briefing is written in every language (``x.md``, ``x.es.md``…), ``count`` in all."""
    rng = random.Random(seed)
    content = folder / "content"
    content.mkdir(parents=True, exist_ok=True)
    config = f"title: Benchmark briefings\nbase_url: {base_url}\ntimezone: UTC\nper_page: 20\n"
    if languages:
        config += f"languages: [{', '.join(languages)}]\n"
    (folder / "briefgen.yaml").write_text(config, encoding="utf-8")
    start = dt.datetime(2015, 1, 1, 8, 0)
    versions = max(len(languages), 1)
    originals = -(-count // versions)
    # every 7 hours, or closer for huge corpora, so that all of them are dated before the benchmark's "now"
    step = min(420, int((LAST - start).total_seconds() // 60 // max(originals, 1)))
    written = 0
    for index in range(originals):
        for number in range(versions):
            if written == count:
                return folder
            name, text = briefing(index, rng, start, step)
            if number:
                name = f"{name.removesuffix('.md')}.{languages[number]}.md"
            (content / name).write_text(text, encoding="utf-8")
            written += 1
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of briefings")
    parser.add_argument("folder", type=Path, help="site folder to create")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--languages", default="", help="e.g. en,es,ar: every briefing in each (the first is the "
                        "default language)")
    args = parser.parse_args()
    generate(args.count, args.folder, args.seed, languages=tuple(filter(None, args.languages.split(","))))
    print(f"{args.count} briefings in {args.folder / 'content'}")


if __name__ == "__main__":
    main()
