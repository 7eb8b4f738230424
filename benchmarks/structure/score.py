"""Score briefgen's reading of briefings against the labelled set in ``articles/`` (see LABELS.md).

    python3 benchmarks/structure/score.py                 # the table, per language
    python3 benchmarks/structure/score.py --errors        # and every error, by kind
    python3 benchmarks/structure/score.py --baseline      # and textacy's direct_quotations on the English part
    python3 benchmarks/structure/score.py --articles DIR  # a held-out set laid out like articles/

Per language: precision / recall / F1 of quotation spans; speaker, role and kind accuracy over the quotations
found that are labelled; section-kind accuracy (the quotation's section, and every heading's kinds); timeline
dates; and how many labelled non-quotations (scare quotes, titles, numbers) were wrongly taken as quotations.

A found quotation matches a labelled one when their words, normalised, are equal, or one contains the other and
the shorter has at least 80% of the longer's words. Speakers and roles are compared normalised (case, accents,
punctuation) without a leading article.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from briefgen.errors import Problems
from briefgen.lexicon import lexicon, normalise
from briefgen.markdown import MarkdownRenderer
from briefgen.parse import ParseContext, parse_briefing
from briefgen.sections import SectionClassifier

HERE = Path(__file__).parent
ARTICLES = HERE / "articles"
LANGUAGES = ("en", "es", "fr", "pt", "de", "it")
MATCH_SHARE = 0.8


@dataclass
class Tally:
    labelled: int = 0
    found: int = 0
    matched: int = 0
    speaker: int = 0
    role: int = 0
    kind: int = 0
    section: int = 0
    headings: int = 0
    headings_right: int = 0
    dates: int = 0
    dates_right: int = 0
    traps: int = 0
    traps_taken: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (kind of error, article, detail)

    def add(self, other: Tally) -> None:
        for counter in fields(self):
            setattr(self, counter.name, getattr(self, counter.name) + getattr(other, counter.name))


def words(text: str) -> list[str]:
    return normalise(text).split()


def same_quotation(found: str, labelled: str) -> bool:
    a, b = words(found), words(labelled)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((" ".join(a), " ".join(b)), key=len)
    return shorter in longer and len(shorter.split()) >= MATCH_SHARE * len(longer.split())


def _without_article(text: str) -> str:
    parts = normalise(text).split()
    articles = lexicon().determiners
    while len(parts) > 1 and parts[0] in articles:
        parts.pop(0)
    return " ".join(parts)


def same_name(found: str, labelled: str) -> bool:
    return _without_article(found) == _without_article(labelled)


def read_article(path: Path):
    context = ParseContext(timezone=ZoneInfo("UTC"), renderer=MarkdownRenderer(), classifier=SectionClassifier())
    problems = Problems()
    briefing = parse_briefing(path.read_bytes(), path.name, path.stem, context, problems)
    if briefing is None:
        raise SystemExit(f"{path}: could not be read: {problems.errors}")
    return briefing


def score_article(path: Path, predicted: list[dict] | None = None) -> Tally:
    """``predicted`` replaces briefgen's quotations (for the baseline); sections and dates are briefgen's."""
    labels = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    briefing = read_article(path)
    quotes = predicted if predicted is not None else [
        {"text": q.text, "speaker": q.speaker, "role": q.role, "kind": q.kind, "section": q.section}
        for q in briefing.quotes]
    tally = Tally(labelled=len(labels["quotations"]), found=len(quotes))
    name = f"{path.parent.name}/{path.name}"
    unmatched = list(labels["quotations"])
    for quote in quotes:
        gold = next((g for g in unmatched if same_quotation(quote["text"], g["text"])), None)
        if gold is None:
            trap = any(same_quotation(quote["text"], t) for t in labels.get("not_quotations") or [])
            tally.errors.append(("trap taken" if trap else "extra quotation", name,
                                 f"{quote['text'][:70]!r} → {quote['speaker']}"))
            continue
        unmatched.remove(gold)
        tally.matched += 1
        checks = (("speaker", same_name(quote["speaker"], gold["speaker"])),
                  ("role", same_name(quote["role"], gold["role"])),
                  ("kind", quote["kind"] == gold["kind"]),
                  ("section", quote["section"] == gold["section"]))
        for field_name, right in checks:
            if right:
                setattr(tally, field_name, getattr(tally, field_name) + 1)
            else:
                tally.errors.append((f"wrong {field_name}", name, f"{gold['text'][:50]!r}: found "
                                     f"{quote[field_name]!r}, labelled {gold[field_name]!r}"))
    for gold in unmatched:
        tally.errors.append(("missed quotation", name, f"{gold['text'][:70]!r} ({gold['speaker']})"))
    traps = labels.get("not_quotations") or []
    tally.traps = len(traps)
    tally.traps_taken = sum(1 for t in traps if any(same_quotation(q["text"], t) for q in quotes))
    kinds = {s.heading: list(s.kinds) or ["other"] for s in briefing.sections}
    for heading, wanted in (labels.get("sections") or {}).items():
        tally.headings += 1
        got = kinds.get(heading, kinds.get(heading.strip()))
        if got == list(wanted):
            tally.headings_right += 1
        else:
            tally.errors.append(("wrong heading kind", name, f"{heading!r}: found {got}, labelled {wanted}"))
    dates = [str(event.date) for event in sorted(briefing.timeline, key=lambda e: e.line)]
    wanted_dates = [str(d) for d in labels.get("timeline") or []]
    tally.dates = len(wanted_dates)
    tally.dates_right = sum((Counter(dates) & Counter(wanted_dates)).values())
    if Counter(dates) != Counter(wanted_dates):
        tally.errors.append(("wrong timeline", name, f"found {dates}, labelled {wanted_dates}"))
    return tally


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "–"


def table(tallies: dict[str, Tally]) -> str:
    head = ("| language | articles | quotations | precision | recall | F1 | speaker | role | kind | section "
            "| headings | timeline | traps taken |")
    rows = [head, "|" + "---|" * 13]
    for language, (articles, tally) in tallies.items():
        precision = tally.matched / tally.found if tally.found else 0.0
        recall = tally.matched / tally.labelled if tally.labelled else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append(f"| {language} | {articles} | {tally.labelled} | {100 * precision:.1f} | {100 * recall:.1f} "
                    f"| {100 * f1:.1f} | {percent(tally.speaker, tally.matched)} "
                    f"| {percent(tally.role, tally.matched)} "
                    f"| {percent(tally.kind, tally.matched)} | {percent(tally.section, tally.matched)} "
                    f"| {percent(tally.headings_right, tally.headings)} | {percent(tally.dates_right, tally.dates)} "
                    f"| {tally.traps_taken} of {tally.traps} |")
    return "\n".join(rows)


def run(languages: tuple[str, ...], predictor=None, articles: Path = ARTICLES) -> dict[str, tuple[int, Tally]]:
    results: dict[str, tuple[int, Tally]] = {}
    total = Tally()
    count = 0
    for language in languages:
        tally = Tally()
        paths = sorted((articles / language).glob("*.md"))
        for path in paths:
            predicted = predictor(path) if predictor else None
            tally.add(score_article(path, predicted))
        results[language] = (len(paths), tally)
        total.add(tally)
        count += len(paths)
    results["all"] = (count, total)
    return results


def print_errors(tally: Tally) -> None:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, article, detail in tally.errors:
        by_kind[kind].append(f"{article}: {detail}")
    for kind, lines in sorted(by_kind.items(), key=lambda item: -len(item[1])):
        print(f"\n## {kind} ({len(lines)})")
        for line in lines:
            print("  " + line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="only these languages")
    parser.add_argument("--errors", action="store_true", help="list every error by kind")
    parser.add_argument("--baseline", action="store_true", help="also score textacy on the English articles")
    parser.add_argument("--articles", type=Path, default=ARTICLES, metavar="FOLDER",
                        help="another labelled set laid out the same way (a held-out set)")
    options = parser.parse_args()
    articles = options.articles
    results = run(tuple(options.lang or LANGUAGES), articles=articles)
    print("briefgen\n\n" + table(results))
    if options.errors:
        print_errors(results["all"][1])
    if options.baseline:
        sys.path.insert(0, str(HERE))
        import baseline_textacy

        if not baseline_textacy.AVAILABLE:
            print(f"\ntextacy baseline not run: {baseline_textacy.REASON}")
            return 0

        def predictor(path: Path) -> list[dict]:
            return baseline_textacy.predict(path.read_text(encoding="utf-8"))

        print("\ntextacy 0.13 direct_quotations (en_core_web_sm 3.8), English articles; role, kind and section "
              "are not given by it\n\n" + table(run(("en",), predictor, articles)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
