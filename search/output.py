"""How results look in a terminal: plain text, bold highlights only on a terminal."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from search.analysis import Token
from search.models import Article, Hit, IndexInfo, IndexReport, SearchResults, Snippet, Understood
from search.places import lookup

if TYPE_CHECKING:  # importing the readers would load every extractor: not for `search query`
    from search.readers import ReadStats

BOLD, RESET = "\x1b[1m", "\x1b[0m"
_CONTROLS = {c: "\ufffd" for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}  # not \t \n
PLAIN_MARKS = ("[[", "]]")
MAX_LISTED_SKIPS = 20


def _meta_line(hit: Hit) -> str:
    parts = [hit.date.isoformat() if hit.date else None]
    parts.append(", ".join(hit.authors) or None)
    parts.append(", ".join(hit.places) or None)
    parts.append(hit.url or hit.id)
    return " · ".join(p for p in parts if p)


def safe(text: str) -> str:
    """``text`` with control characters (ESC, BEL, …) shown as U+FFFD, one for one, so a
    document cannot drive the terminal and highlight offsets still hold."""
    return text.translate(_CONTROLS)


def hits_text(results: SearchResults, offset: int, color: bool) -> Iterator[str]:
    before, after = (BOLD, RESET) if color else PLAIN_MARKS
    for rank, hit in enumerate(results.hits, offset + 1):
        title = f"{BOLD}{safe(hit.title)}{RESET}" if color else safe(hit.title)
        snippet = Snippet(safe(hit.snippet.text), hit.snippet.highlights).marked(before, after)
        yield f"{rank}. {title}\n   {safe(_meta_line(hit))}\n   {snippet}\n"


def facets_text(facets: dict[str, dict[str, int]]) -> Iterator[str]:
    """``place: Hậu Giang 12 · Cần Thơ 3`` lines, one per facet."""
    for name, counts in facets.items():
        values = " · ".join(f"{value} {count}" for value, count in counts.items()) or "(none)"
        yield safe(f"{name}: {values}")


def results_summary(results: SearchResults, offset: int) -> str:
    if not results.total:
        return f"no match for {results.query!r}"
    first = offset + 1 if results.hits else offset
    return f"hits {first}-{offset + len(results.hits)} of {results.total} for {results.query!r}"


_HOW = {
    "reading": "read as", "keystrokes": "typed with the input method off: read as",
    "synonym": "also searched as", "date": "also searched as", "author": "also the articles by",
    "place": "names the province",
}  # fmt: skip


def understood_text(understood: Sequence[Understood]) -> Iterator[str]:
    """One line per thing the query was also searched as (``--explain``)."""
    if not understood:
        yield "no reading, abbreviation, date, author or place: the words only"
    for u in understood:
        yield f"{u.typed!r} {_HOW.get(u.how, u.how)}: {', '.join(u.meanings)} ({u.how})"


def index_summary(report: IndexReport, stats: ReadStats, quiet: bool) -> Iterator[str]:
    for skipped in report.skipped[:MAX_LISTED_SKIPS]:
        yield f"skipped {skipped}"
    if len(report.skipped) > MAX_LISTED_SKIPS:
        yield f"... and {len(report.skipped) - MAX_LISTED_SKIPS} more skipped"
    yield from (f"warning: {w}" for w in stats.warnings[:MAX_LISTED_SKIPS])
    if quiet:
        return
    if stats.extra_keys:
        keys = ", ".join(f"{k} ({n})" for k, n in stats.extra_keys.most_common())
        yield f"ignored keys: {keys} (map one with --field FIELD=KEY)"
    if stats.encodings:
        converted = ", ".join(f"{n} from {name}" for name, n in stats.encodings.most_common())
        yield f"converted to Unicode (files, or texts in records): {converted}"
    if stats.ignored_files:
        yield f"ignored {stats.ignored_files} files that are not .jsonl, .json, .txt or .html"
    unread = _files(stats.unchanged_files)
    if (report.unchanged or stats.unchanged_files) and not report.indexed and not report.skipped:
        if not stats.files:
            yield f"nothing changed: {unread} already in the index as they are (not read again)"
        elif stats.unchanged_files:
            yield (
                f"nothing changed: {unread} not read again; the {report.unchanged} articles of the other "
                f"{_files(stats.files)} are already in the index as they are"
            )
        else:
            yield f"nothing changed: all {report.unchanged} articles are already in the index as they are"
        return
    unchanged = f", {report.unchanged} unchanged" if report.unchanged else ""
    not_read = f"; {unread} unchanged since indexed, not read" if stats.unchanged_files else ""
    yield (
        f"{report.added} added, {report.replaced} replaced{unchanged}, {len(report.skipped)} skipped "
        f"from {_files(stats.files)} in {report.seconds:.1f} s ({report.docs_per_second:.0f} docs/s){not_read}"
    )


def _files(count: int) -> str:
    return f"{count} file{'' if count == 1 else 's'}"


def extracted(where: str, article: Article) -> dict[str, object]:
    """What ``search index --dry-run`` prints for one article: the metadata, not the text."""
    record = article.to_dict()
    body, original = record.pop("body"), record.pop("original")
    record["current_places"] = list(dict.fromkeys(map(current_place, article.places)))
    record["body_chars"] = len(body)
    record["boilerplate_removed"] = original is not None
    return {"where": where, **record}


def token_table(text: str, tokens: list[Token]) -> Iterator[str]:
    yield f"{'pos':>4}  {'start':>5}  {'end':>5}  {'original':<20}  {'accented':<20}  folded"
    for t in tokens:
        yield f"{t.position:>4}  {t.start:>5}  {t.end:>5}  {text[t.start:t.end]:<20}  {t.text:<20}  {t.folded}"


def current_place(name: str) -> str:
    """The unit a place belongs to since 1 July 2025; unknown places as given."""
    province = lookup(name)
    return province.current if province else name


def place_label(name: str) -> str:
    """``Hậu Giang (now Cần Thơ)`` for a province merged in 2025."""
    province = lookup(name)
    return f"{name} (now {province.current})" if province and province.merged else name


def article_text(article: Article) -> str:
    lines = [article.title, ""]
    for label, value in (
        ("id", article.id),
        ("date", article.date.isoformat() if article.date else None),
        ("authors", ", ".join(article.authors) or None),
        ("places", ", ".join(map(place_label, article.places)) or None),
        ("dateline", article.dateline),
        ("category", article.category),
        ("source", article.source),
        ("reposted", article.reposted_by),
        ("url", article.url),
    ):
        if value:
            lines.append(f"{label + ':':<10}{value}")
    return safe("\n".join(lines + ["", article.body]))


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def info_text(info: IndexInfo) -> Iterator[str]:
    yield f"index:          {info.path or '(in memory)'}"
    yield f"documents:      {info.documents}"
    yield f"size on disk:   {_size(info.size_bytes)}"
    span = (
        f"{info.first_date.isoformat()} .. {info.last_date.isoformat()}"
        if info.first_date and info.last_date
        else "(no dates)"
    )
    yield f"dates:          {span}"
    yield f"schema version: {info.schema_version}"
    for name, counts in info.top.items():
        values = ", ".join(f"{value} ({count})" for value, count in counts.items()) or "(none)"
        yield f"top {name + ':':<11} {values}"
    if info.per_year:
        yield "published per year:"
        widest = max(info.per_year.values())
        for year, count in info.per_year.items():
            yield f"  {year}  {'█' * max(1, round(40 * count / widest)):<40}  {count}"
