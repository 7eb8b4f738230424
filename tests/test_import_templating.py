"""Template code of other generators in imported bodies → Markdown (``briefgen.importers.templating``).

The table below is input → expected body and counts; every case is written for these tests. The last tests run the
converter over the public archives in ``../shared/realworld`` beside the repository, when they are there.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from briefgen.importers.templating import Converted, convert_template_code, ref_target

PAGE = {"title": "Harbour cleanup week", "author": "Mira Holt", "params": {"region": "North coast"},
        "tags": ["water", "volunteers"], "venue": {"name": "Old pier"}}


def case(name: str, source: str, expected: str, converted: int, kept: int, kinds: tuple[str, ...] = ()):
    return pytest.param(textwrap.dedent(source).strip("\n"), textwrap.dedent(expected).strip("\n"), converted, kept,
                        kinds, id=name)


CASES = [
    # Hugo shortcodes: media
    case("youtube positional", "Watch {{< youtube dQ4kL9x >}} first.",
         "Watch [YouTube video](https://www.youtube.com/watch?v=dQ4kL9x) first.", 1, 0, ("youtube",)),
    case("youtube named with title", '{{< youtube id="kk21" title="Dredging the canal" >}}',
         "[YouTube video: Dredging the canal](https://www.youtube.com/watch?v=kk21)", 1, 0),
    case("vimeo", "{{< vimeo 55501 >}}", "[Vimeo video](https://vimeo.com/55501)", 1, 0),
    case("tweet", '{{< tweet user="portauthority" id="1700" >}}',
         "[Post by @portauthority](https://twitter.com/portauthority/status/1700)", 1, 0),
    case("x shortcode positional", "{{< x harbourwatch 991 >}}",
         "[Post by @harbourwatch](https://twitter.com/harbourwatch/status/991)", 1, 0),
    case("gist", "{{< gist rmoss 6a1f >}}", "[Gist by rmoss](https://gist.github.com/rmoss/6a1f)", 1, 0),
    case("figure with caption", '''
         Before.
         {{< figure src="/img/crane.jpg" alt="A crane on the quay" caption="Unloading at dawn" title="Crane" >}}
         After.''', '''
         Before.

         ![A crane on the quay](/img/crane.jpg "Crane")
         *Unloading at dawn*

         After.''', 1, 0, ("figure",)),
    case("figure with link", '{{< figure src="map.png" alt="Map" link="https://maps.example/p" >}}',
         "[![Map](map.png)](https://maps.example/p)", 1, 0),
    case("img self-closing, single quotes", "{{< img src='buoy.png' alt='A red buoy' />}}",
         "![A red buoy](buoy.png)", 1, 0),
    case("image alias of a site", '{{< legacy-img src="2019/ferry.jpg" alt="The ferry" >}}',
         "![The ferry](2019/ferry.jpg)", 1, 0, ("legacy-img",)),
    case("image with key=value unquoted", "{{< figure src=tide.svg alt=Tides >}}", "![Tides](tide.svg)", 1, 0),
    # Hugo shortcodes: links and values
    case("ref in a link", 'See [the plan]({{< ref "2021-05-02-dredging-plan.md" >}}).',
         "See [the plan](../dredging-plan/).", 1, 0, ("ref",)),
    case("relref with anchor", '[Costs]({{< relref "budget/costs.md#totals" >}})', "[Costs](../costs/#totals)", 1, 0),
    case("ref to a section index", '[Topics]({{< ref "/topics/_index.md" >}})', "[Topics](../topics/)", 1, 0),
    case("ref in an html attribute", '<a href="{{< ref "tides.md" >}}">tides</a>',
         '<a href="../tides/">tides</a>', 1, 0),
    case("param from the page", 'Written by {{< param "author" >}}.', "Written by Mira Holt.", 1, 0, ("param",)),
    case("param from params", '{{< param region >}}', "North coast", 1, 0),
    case("param missing is kept", '{{< param "editor" >}}', '`{{< param "editor" >}}`', 0, 1, ("param",)),
    case("highlight paired", '''
         {{< highlight python >}}
         print("tide")
         {{< /highlight >}}''', '''
         ```python
         print("tide")
         ```''', 1, 0, ("highlight",)),
    case("highlight around words", "We must {{< highlight >}}file by Friday{{< /highlight >}}.",
         "We must file by Friday.", 1, 0),
    # Hugo shortcodes: containers
    case("note", '''
         Intro line.
         {{< note >}}
         Bring **boots**.

         - gloves
         {{< /note >}}
         Closing line.''', '''
         Intro line.

         > **Note:** Bring **boots**.
         >
         > - gloves

         Closing line.''', 1, 0, ("note",)),
    case("note inline, percent form", "{{% warning %}}Low tide at noon.{{% /warning %}}",
         "> **Warning:** Low tide at noon.", 1, 0, ("warning",)),
    case("typed alert", '{{< alert danger >}}\nStay off the breakwater.\n{{< /alert >}}',
         "> **Danger:** Stay off the breakwater.", 1, 0, ("alert",)),
    case("admonition starting with a list", "{{< tip >}}\n- one\n- two\n{{< /tip >}}",
         "> **Tip:**\n>\n> - one\n> - two", 1, 0),
    case("details keeps its inner text and summary", '''
         {{< details summary="Full schedule" >}}
         Monday: beach.
         {{< /details >}}''', '''
         **Full schedule**

         Monday: beach.''', 1, 0, ("details",)),
    case("note holding a fence", "{{< note >}}\nRun:\n\n```\nmake {{< x >}}\n```\n{{< /note >}}",
         "> **Note:** Run:\n>\n> ```\n> make {{< x >}}\n> ```", 1, 0, ("note",)),
    case("note inside a sentence", "Tides {{< note >}}change daily{{< /note >}} here.",
         "Tides\n\n> **Note:** change daily\n\nhere.", 1, 0),
    case("nested shortcodes", "{{< note >}}Watch {{< youtube ab1 >}} now.{{< /note >}}",
         "> **Note:** Watch [YouTube video](https://www.youtube.com/watch?v=ab1) now.", 2, 0, ("note", "youtube")),
    case("note in a list item", "- Item\n\n  {{< note >}}Mind the gap.{{< /note >}}\n- Next",
         "- Item\n\n  > **Note:** Mind the gap.\n\n- Next", 1, 0),
    # Hugo shortcodes: unknown
    case("unknown self-closing", 'Fees: {{< fee-table year="2024" >}}.',
         'Fees: `{{< fee-table year="2024" >}}`.', 0, 1, ("fee-table",)),
    case("unknown across lines", '{{< card-policy src="https://rules.example/7"\n    kicker="Policy" >}}',
         '`{{< card-policy src="https://rules.example/7" kicker="Policy" >}}`', 0, 1, ("card-policy",)),
    case("unknown with backticks in args", '{{< callout-box text="use `make`" >}}',
         '``{{< callout-box text="use `make`" >}}``', 0, 1),
    case("unknown paired", '''
         {{< panel colour="blue" >}}
         Volunteers meet at nine.
         {{< /panel >}}''', '''
         `{{< panel colour="blue" >}}`

         Volunteers meet at nine.

         `{{< /panel >}}`''', 0, 1, ("panel",)),
    case("unknown paired inside a sentence", "A {{< badge >}}new{{< /badge >}} route.",
         "A `{{< badge >}}`new`{{< /badge >}}` route.", 0, 1),
    case("unknown in a link target with a page path", '[Events]({{< tmp "events/regatta.md" >}})',
         "[Events](../regatta/)", 1, 0, ("tmp",)),
    case("unknown in a link target with a file", '[Form]({{< legacy-file "2014/05/form.pdf" >}})',
         "[Form](2014/05/form.pdf)", 1, 0),
    case("shortcode shown escaped", "Write {{</* youtube ID */>}} to embed.",
         "Write `{{< youtube ID >}}` to embed.", 1, 0, ("youtube",)),
    # Liquid and Nunjucks
    case("liquid highlight", "{% highlight ruby linenos %}\nputs :tide\n{% endhighlight %}",
         "```ruby\nputs :tide\n```", 1, 0, ("highlight",)),
    case("link and post_url", "[A]({% link _posts/2020-01-09-quay-repairs.md %}) [B]({% post_url 2019-12-01-storm %})",
         "[A](../quay-repairs/) [B](../storm/)", 2, 0, ("link", "post_url")),
    case("include inline", "Data: {% include chart.html id=3 %} here.",
         "Data: `{% include chart.html id=3 %}` here.", 0, 1, ("include",)),
    case("include on its own line", "Text above.\n{% include footer.md %}\nText below.",
         "Text above.\n\n`{% include footer.md %}`\n\nText below.", 0, 1, ("include",)),
    case("include with multi-line args", '{% include figure.html\n   image="a.png"\n   caption="Two lines" %}',
         '`{% include figure.html image="a.png" caption="Two lines" %}`', 0, 1),
    case("tags side by side stay two code spans", "{% include a.html %}{% include b.html %}",
         "`{% include a.html %}` `{% include b.html %}`", 0, 2),
    case("highlight in a list item", "1. Run:\n\n   {% highlight sh %}\n   make all\n   {% endhighlight %}\n2. Done",
         "1. Run:\n\n   ```sh\n   make all\n   ```\n\n2. Done", 1, 0),
    case("whitespace control", "{%- include head.html -%}", "`{%- include head.html -%}`", 0, 1, ("include",)),
    case("eleventy image", '{% image "assets/quay.jpg" "The quay at low tide" %}',
         "![The quay at low tide](assets/quay.jpg)", 1, 0, ("image",)),
    case("eleventy image with class", '{% image_with_class "assets/a.jpg" "w-50" "Harbour master" %}',
         "![Harbour master](assets/a.jpg)", 1, 0, ("image_with_class",)),
    case("comment", "{% comment %}\nCheck -- the dates\n{% endcomment %}",
         "<!-- Check - - the dates -->", 1, 0, ("comment",)),
    case("comment holding an html comment", "{% comment %}<!-- draft -->{% endcomment %}", "<!-- draft -->", 1, 0),
    case("assign and use of a literal", '{% assign base = "https://tides.example/q/" %}\n- [Q1]({{ base }}41)',
         "- [Q1](https://tides.example/q/41)", 2, 0, ("assign", "variable")),
    case("assign at the end of a line", 'Last words. {% assign stamp="3:15" %}\nNext line.',
         "Last words.\nNext line.", 1, 0),
    case("assign of an expression is kept", "{% assign sorted = page.items | sort %}",
         "`{% assign sorted = page.items | sort %}`", 0, 1, ("assign",)),
    case("capture of a literal", "{% capture note %}Gates shut at six{% endcapture %}\nReminder: {{note}}.",
         "Reminder: Gates shut at six.", 2, 0, ("capture", "variable")),
    case("if block kept visibly", "{% if page.draft %}Draft copy{% endif %}",
         "`{% if page.draft %}`Draft copy`{% endif %}`", 0, 1, ("if",)),
    case("for block kept visibly", "{% for item in page.list %}\n* {{ item }}\n{% endfor %}",
         "`{% for item in page.list %}`\n* `{{ item }}`\n`{% endfor %}`", 0, 2, ("for", "variable")),
    case("nunjucks set", '{% set where = "the old pier" %}Meet at {{ where }}.', "Meet at the old pier.", 2, 0),
    # Liquid outputs
    case("page value", "# {{ page.title }}", "# Harbour cleanup week", 1, 0, ("variable",)),
    case("page value with a filter", "By {{ page.author | escape }}", "By Mira Holt", 1, 0),
    case("page list value", "Tags: {{ page.tags }}", "Tags: water, volunteers", 1, 0),
    case("nested page value", "At {{ page.venue.name }}", "At Old pier", 1, 0),
    case("unknown page value", "{{ page.subtitle }}", "`{{ page.subtitle }}`", 0, 1),
    case("value with a changing filter is kept", "{{ page.tags | size }}", "`{{ page.tags | size }}`", 0, 1),
    case("default filter", "{{ page.subtitle | default: 'None yet' }}", "None yet", 1, 0),
    case("site value is kept", "{{ site.owner }}", "`{{ site.owner }}`", 0, 1),
    case("site base url", "[Home]({{ site.baseurl }}/about/)", "[Home](/about/)", 1, 0),
    case("literal with url filter", '[Log]({{ "/2015/log/" | relative_url }})', "[Log](/2015/log/)", 1, 0),
    case("hugo params output", "{{ .Params.region }} / {{ .Title }}", "North coast / Harbour cleanup week", 2, 0),
    case("kept code in a table row", "| a | {{ page.tags | size }} |", "| a | `{{ page.tags \\| size }}` |", 0, 1),
    case("presentation filters keep the value", "{{ page.title | upcase | append: '!' }} {{ page.author | escape }}",
         "HARBOUR CLEANUP WEEK! Mira Holt", 2, 0),
    case("a site's own filter keeps the output", '{{ "rhea" | team_photo }}', '`{{ "rhea" | team_photo }}`', 0, 1),
    case("prepend with the base url", "[x]({{ '/tides/' | prepend: site.baseurl }})", "[x](/tides/)", 1, 0),
    # code is left alone
    case("backtick fence untouched", "```\n{{< youtube x >}}\n{% include a.md %}\n```",
         "```\n{{< youtube x >}}\n{% include a.md %}\n```", 0, 0),
    case("tilde fence untouched", "~~~liquid\n{% if a %}{{ page.title }}{% endif %}\n~~~\n{:.center}",
         "~~~liquid\n{% if a %}{{ page.title }}{% endif %}\n~~~", 1, 0, ("ial",)),
    case("indented code untouched", "Example:\n\n    {{< note >}}Hi{{< /note >}}\n\nDone.",
         "Example:\n\n    {{< note >}}Hi{{< /note >}}\n\nDone.", 0, 0),
    case("fence inside a list item untouched", "- step\n\n  ```\n  {% include x %}\n  ```",
         "- step\n\n  ```\n  {% include x %}\n  ```", 0, 0),
    case("code span untouched", "Type `{{< youtube ID >}}` or ``{% raw %}`` as shown.",
         "Type `{{< youtube ID >}}` or ``{% raw %}`` as shown.", 0, 0),
    case("list continuation is not code", "- item\n\n    {{< youtube q >}}",
         "- item\n\n    [YouTube video](https://www.youtube.com/watch?v=q)", 1, 0),
    case("unclosed fence runs to the end", "```\n{{< youtube x >}}", "```\n{{< youtube x >}}", 0, 0),
    # raw
    case("raw region kept literally", "{% raw %}{{ page.title }} and {% if %}{% endraw %}",
         "{{ page.title }} and {% if %}", 1, 0, ("raw",)),
    case("raw region over lines", "Before\n{% raw %}\n{{< youtube x >}}\n{% endraw %}\nAfter",
         "Before\n\n{{< youtube x >}}\n\nAfter", 1, 0),
    case("raw markers inside code are undone", "Use `{% raw %}{{ name }}{% endraw %}` here.",
         "Use `{{ name }}` here.", 1, 0, ("raw",)),
    case("raw markers inside a fence are undone", "```\nA={% raw %}{{ value }}{% endraw %}\n```",
         "```\nA={{ value }}\n```", 1, 0),
    # kramdown
    case("ial on its own line", "![Gulls](gulls.png)\n{:.center}\n\nText", "![Gulls](gulls.png)\n\nText", 1, 0,
         ("ial",)),
    case("ial between two blocks", "First para\n{: .wide}\nSecond para", "First para\n\nSecond para", 1, 0),
    case("ial at a line end", "A short paragraph. {:#intro}", "A short paragraph.", 1, 0, ("ial",)),
    case("ial after a heading", "## Plans\n{:.no_toc}\n\nBody", "## Plans\n\nBody", 1, 0),
    case("toc marker with its list", "Intro\n\n* TOC\n{:toc}\n\n## One", "Intro\n\n\n## One", 1, 0, ("toc",)),
    case("numbered toc marker", "1. toc\n{:toc}", "", 1, 0, ("toc",)),
    case("kramdown options", '{::options parse_block_html="true" /}\nText', "Text", 1, 0, ("kramdown-options",)),
    case("kramdown comment", "{::comment}\nnot -- shown\n{:/comment}", "<!-- not - - shown -->", 1, 0,
         ("kramdown-comment",)),
    case("heading id", "## Results {#results}\n\nText", "## Results\n\nText", 1, 0, ("heading-id",)),
    # Pelican
    case("pelican filename and static", "[Next]({filename}/2022-03-01-tide-tables.md) ![x]({static}/img/x.png)",
         "[Next](../tide-tables/) ![x](/img/x.png)", 2, 0, ("filename", "static")),
    case("octopress img", '{% img right /images/pier.jpg 300 200 "The pier" "Wooden pier at dusk" %}',
         '![Wooden pier at dusk](/images/pier.jpg "The pier")', 1, 0, ("img",)),
    # malformed input
    case("unclosed shortcode", "Broken {{< youtube abc and more", "Broken {{< youtube abc and more", 0, 1,
         ("youtube",)),
    case("unclosed liquid tag", "Broken {% include x", "Broken {% include x", 0, 1, ("include",)),
    case("unclosed then a good tag", "{{< broken {{< vimeo 7 >}}",
         "{{< broken [Vimeo video](https://vimeo.com/7)", 1, 1),
    case("closing tag alone", "Stray {{< /note >}} here", "Stray `{{< /note >}}` here", 0, 1, ("note",)),
    case("stray braces in prose", "Sets like {{a, b}} and }} or {{", "Sets like `{{a, b}}` and }} or {{", 0, 1),
    case("unpaired raw", "{% raw %} alone", "`{% raw %}` alone", 0, 1, ("raw",)),
    # nothing to do
    case("plain markdown", "Just *text* with {braces}.", "Just *text* with {braces}.", 0, 0),
]


@pytest.mark.parametrize("source, expected, converted, kept, kinds", CASES)
def test_conversion(source, expected, converted, kept, kinds):
    result = convert_template_code(source, PAGE)
    assert result.body == expected
    assert (result.converted, result.kept) == (converted, kept)
    if kinds:
        assert result.kinds == kinds


def test_counts_and_kinds_add_up_over_a_body():
    body = textwrap.dedent("""\
        {% assign site_base = "https://example.org" %}
        ## Week one {#week-one}
        {{< figure src="a.png" alt="A" >}} and {{< youtube zz >}}
        {% include promo.html %}
        {{< poll id="3" >}}
        Paragraph {:.lead}
        """)
    result = convert_template_code(body)
    assert isinstance(result, Converted)
    assert result.kinds == ("assign", "figure", "heading-id", "ial", "include", "poll", "youtube")
    assert (result.converted, result.kept) == (5, 2)


def test_body_without_template_code_comes_back_as_it_was():
    body = "Line one\r\nLine two {not code}\r\n"
    assert convert_template_code(body) == Converted(body, 0, 0, ())


def test_windows_line_ends_are_read():
    result = convert_template_code("{{< note >}}\r\nCareful.\r\n{{< /note >}}\r\n")
    assert result.body == "> **Note:** Careful.\n"


def test_page_is_optional():
    assert convert_template_code("{{ page.title }}").body == "`{{ page.title }}`"


@pytest.mark.parametrize("path, target", [
    ("2020-01-09-quay-repairs.md", "../quay-repairs/"),
    ("news/storm-warning", "../storm-warning/"),
    ("/guides/tides/_index.md", "../tides/"),
    ("notes.md#second", "../notes/#second"),
    ("#only-anchor", "#only-anchor"),
    ("release-1.2", "../release-1-2/"),
])
def test_ref_targets(path, target):
    assert ref_target(path) == target


FRAGMENTS = ["{{<", ">}}", "{{%", "%}}", "{%", "%}", "{{", "}}", "{{< note >}}", "{{< /note >}}", "{% raw %}",
             "{% endraw %}", "{% comment %}", "{% endcomment %}", "```", "`", "\n", "\n\n", "    ", "- ", "> ",
             '"', "'", "{:", "{:.x}", "{::comment}", "{:/comment}", "text", "{{< youtube a >}}", "{% if x %}",
             "{% endif %}", "{{ page.title }}", "[a](", ")", "|", "#", "{#id}", "\x00", "\r\n"]


def test_malformed_combinations_never_raise():
    import random

    chooser = random.Random(20240611)
    for _ in range(3000):
        body = "".join(chooser.choice(FRAGMENTS) for _ in range(chooser.randint(1, 14)))
        result = convert_template_code(body, PAGE)
        assert result.converted >= 0 and result.kept >= 0
        if "\x00" not in body:
            assert "\x00" not in result.body  # no placeholder of the converter is left behind


@pytest.mark.parametrize("body", [
    "{{< box >}}" * 3000 + "deep" + "{{< /box >}}" * 3000,
    "{% capture a %}{% if b %}" * 2000 + "{% endif %}{% endcapture %}" * 2000,
    "{% raw %} " * 20000,
    "{{< /note >}}" * 20000,
    "{% comment %}\n" * 20000,
    "{{< gallery " * 20000,
    "` " * 20000 + "x",
    '{{< quote text="' * 10000,
], ids=["nested shortcodes", "nested liquid", "raw openers", "closing tags", "comment openers", "unclosed",
        "backticks", "open quotes"])
def test_pathological_bodies_stay_fast(body):
    import time

    start = time.perf_counter()
    result = convert_template_code(body)
    assert result.converted + result.kept > 0 or "`" in body
    assert time.perf_counter() - start < 10  # a few tenths of a second each; quadratic work would take minutes


# ---------------------------------------------------------------------------------------------------------------
# The public archives beside the repository

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"  # ../shared/realworld beside the repo
ARCHIVES = ("18f", "digitalgov", "bitcoinops")
_FRONT_MATTER = re.compile(r"\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|$)", re.S)
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TEMPLATE = re.compile(r"\{\{[<%]|\{%|\{:")


def _split(text: str) -> tuple[dict, str]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        page = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        page = None
    return (page if isinstance(page, dict) else {}), text[match.end():]


def _outside_code(body: str) -> str:
    """A quick, lenient view of the text outside fences, code spans and HTML comments."""
    lines, fence = [], None
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None if not line[opening.end():].strip() else fence
            continue
        if opening and not (opening.group(1)[0] == "`" and "`" in line[opening.end():]):
            fence = opening.group(1)
            continue
        lines.append(line)
    return _COMMENT.sub("", _SPAN.sub("", "\n".join(lines)))


def _template_code_in_text(body: str) -> list[str]:
    """Template code that Markdown would show as text, confirmed with markdown-it (as briefgen reads bodies)."""
    if not _TEMPLATE.search(_outside_code(body)):
        return []
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)
    found = []
    for token in markdown.parse(body):
        for child in token.children or [token]:
            if child.type in ("code_inline", "fence", "code_block"):
                continue
            text = _COMMENT.sub("", child.content) if "html" in child.type else child.content
            found += [text[max(0, m.start() - 40):m.end() + 40] for m in _TEMPLATE.finditer(text)]
    return found


@pytest.mark.skipif(not REALWORLD.is_dir(), reason=f"the public archives are not at {REALWORLD}")
@pytest.mark.parametrize("archive", ARCHIVES)
def test_archive_bodies_convert_without_template_code_left_in_text(archive):
    files = sorted((REALWORLD / archive / "source").rglob("*.md"))
    assert files, f"no articles under {REALWORLD / archive}"
    totals, left = {"converted": 0, "kept": 0}, {}
    for path in files:
        page, body = _split(path.read_text(encoding="utf-8"))
        result = convert_template_code(body, page)
        totals["converted"] += result.converted
        totals["kept"] += result.kept
        if found := _template_code_in_text(result.body):
            left[str(path.relative_to(REALWORLD))] = found[:3]
    print(f"{archive}: {len(files)} files, {totals['converted']} converted, {totals['kept']} kept")
    assert not left, left
    assert totals["converted"] > 0
