"""The ``search`` command: parse the arguments, call the library, print.

stdout carries results only; progress, summaries and errors go to stderr,
prefixed ``search:``. Exit codes: 0 found / done, 1 nothing found or some
inputs skipped, 2 error, 3 index refused (untrusted or damaged), 74 a write to the
index refused by the system (disk full, permissions), 75 index busy (another
process kept writing past ``--lock-timeout``), 130 interrupted.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, List, Optional

import typer

from search import (
    Index,
    IndexDamagedError,
    IndexingInterrupted,
    IndexLockedError,
    IndexRecoveredWarning,
    IndexUntrustedError,
    SearchError,
    Skipped,
    Synonyms,
    output,
)
from search.analysis import analyze as analyze_text
from search.normalize import normalize

if TYPE_CHECKING:
    from search.readers import ReadOptions, ReadStats

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Vietnamese full-text search: index articles, then find them with or without diacritics.",
)

IndexDir = typer.Option(
    Path("index"), "--index", envvar="SEARCH_INDEX", help="Index folder.", show_default=True
)
AsJson = typer.Option(False, "--json", help="Print one JSON document on stdout.")


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"search: {message}", err=True)
    return typer.Exit(code)


def _failure(error: Exception) -> typer.Exit:
    if isinstance(error, IndexLockedError):
        return fail(str(error), 75)  # EX_TEMPFAIL: try again later
    unusable = isinstance(error, (IndexUntrustedError, IndexDamagedError))
    return fail(str(error), 3 if unusable else 2)  # 3: refused or damaged; nothing ran


def io_failure(index_dir: Path, error: OSError) -> str:
    """One line for a write to the index that the system refused (exit 74, EX_IOERR)."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        what = "the disk is full (or a quota or file-size limit was hit)"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = "writing is not permitted (permissions, or a read-only file system)"
    else:
        what = f"the system refused a write ({error.strerror or error})"
    return f"cannot write the index {index_dir}: {what}; the previous commit is kept; free space or fix it, then run again"


AllowNetworkFs = typer.Option(
    False, "--allow-network-fs",
    help="Write to an index on a network file system (NFS, SMB…); safe only if one machine ever writes to it.",
)  # fmt: skip
LockTimeout = typer.Option(
    30.0, "--lock-timeout", min=0.0,
    help="Seconds to wait while another process writes to the index; then exit 75 naming it.",
)  # fmt: skip


def _open_warning(opening: Callable[[], Index]) -> Index:
    """``opening()``, its ``IndexRecoveredWarning`` (an older commit was opened) said in one line."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", IndexRecoveredWarning)
        ix = opening()
    for warning in said:
        if issubclass(warning.category, IndexRecoveredWarning):
            typer.echo(f"search: warning: {warning.message}", err=True)
    return ix


@contextmanager
def _open(index_dir: Path, allow_network_fs: bool = False) -> Iterator[Index]:
    """The index, closed after the block; refusing it (or a pickle read in the block) exits 3."""
    try:
        ix = _open_warning(lambda: Index.open(index_dir, allow_network_fs=allow_network_fs))
    except SearchError as error:
        raise _failure(error) from None
    with ix:
        try:
            yield ix
        except IndexUntrustedError as error:
            raise _failure(error) from None


@app.command()
def index(
    paths: List[str] = typer.Argument(
        ..., help="Files or folders: .jsonl, .json, .txt, .html (optionally .gz); - reads standard input."
    ),
    index_dir: Path = IndexDir,
    fields: List[str] = typer.Option(
        [], "--field", help="Map a record key to a field, e.g. --field title=headline (repeatable)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print what would be indexed (JSON Lines on stdout); change nothing."
    ),
    rebuild: bool = typer.Option(False, "--rebuild", help="Start from an empty index."),
    batch_size: int = typer.Option(5000, "--batch-size", min=1, help="Documents per commit."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    synonyms_file: Optional[Path] = typer.Option(
        None, "--synonyms", help="Keep these synonyms with the index for every later search (replaces earlier ones)."
    ),
    lock_timeout: float = LockTimeout,
    allow_network_fs: bool = AllowNetworkFs,
) -> None:
    """Index articles and extract their date, authors, places and source.

    An id already in the index is replaced; an unchanged article is left alone, and a
    file unchanged since all its articles were committed is not even read.
    Exit 0 when everything was indexed, 1 when some inputs were skipped, 75 when
    another process kept the index busy for --lock-timeout seconds.
    """
    from search.ledger import reading_context
    from search.readers import ReadOptions, ReadStats, read_files, total_size  # the extractors load here only
    from search.records import FieldMappingError, parse_field_options

    try:
        options = ReadOptions(fields=parse_field_options(fields))
        user_synonyms = Synonyms.from_file(synonyms_file) if synonyms_file else None
    except (FieldMappingError, SearchError) as error:
        raise fail(str(error)) from None
    stats = ReadStats()
    if dry_run:
        raise typer.Exit(_dry_run(paths, stats, options))
    try:
        if rebuild:
            ix = Index.create(index_dir, overwrite=True, lock_timeout=lock_timeout, allow_network_fs=allow_network_fs)
        else:
            ix = _open_warning(
                lambda: Index.open_or_create(index_dir, lock_timeout=lock_timeout, allow_network_fs=allow_network_fs)
            )
    except OSError as error:
        raise fail(io_failure(index_dir, error), 74) from None
    except SearchError as error:
        raise _failure(error) from None
    except KeyboardInterrupt:
        raise fail("interrupted before anything was indexed; the index is as it was", 130) from None
    show_bar = not quiet and sys.stderr.isatty()
    with ix, _progress(show_bar, total_size(paths)) as advance:
        try:
            if user_synonyms is not None:
                ix.store_synonyms(user_synonyms, lock_timeout=lock_timeout)
            ledger = ix.file_ledger(reading_context(options.fields))
            articles = (item for _, item in read_files(paths, stats, options, ledger.unchanged))
            report = ix.add_many(
                articles,
                batch_size=batch_size,
                progress=lambda _: advance(stats.bytes_read),
                lock_timeout=lock_timeout,
                ledger=ledger,
            )
        except IndexingInterrupted as interrupted:
            raise fail(f"interrupted; {interrupted.report.indexed} documents committed before are kept", 130) from None
        except KeyboardInterrupt:  # outside a batch: between commits, or after the last one
            raise fail("interrupted; every document committed before is kept", 130) from None
        except SearchError as error:
            raise _failure(error) from None
        except OSError as error:  # the readers report their own files: this is the index's
            raise fail(io_failure(index_dir, error), 74) from None
    for line in output.index_summary(report, stats, quiet):
        typer.echo(f"search: {line}", err=True)
    raise typer.Exit(1 if report.skipped else 0)


def _dry_run(paths: List[str], stats: "ReadStats", options: "ReadOptions") -> int:
    """One JSON line per article on stdout, skips on stderr; the exit code."""
    from search.readers import read_sources

    skipped = 0
    for where, item in read_sources(paths, stats, options):
        if isinstance(item, Skipped):
            skipped += 1
            typer.echo(f"search: skipped {item}", err=True)
        else:
            typer.echo(json.dumps(output.extracted(where, item), ensure_ascii=False))
    for warning in stats.warnings:
        typer.echo(f"search: warning: {warning}", err=True)
    return 1 if skipped else 0


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[int], None]]:
    """Yields ``advance(bytes_read)``; draws a bar on stderr when ``enabled``."""
    if not enabled:
        yield lambda _: None
        return
    with typer.progressbar(length=max(total, 1), label="indexing", file=sys.stderr) as progress:
        seen = 0

        def advance(position: int) -> None:
            nonlocal seen
            if position > seen:
                progress.update(position - seen)
                seen = position

        yield advance


@app.command()
def query(
    text: str = typer.Argument("", help='Query, e.g. "Hậu Giang" or hau giang author:"Nguyễn Triệu".'),
    author: Optional[str] = typer.Option(None, "--author", help="Only this author (accents and case optional)."),
    place: Optional[str] = typer.Option(None, "--place", help="Only this province or city, by any of its names."),
    exact_place: bool = typer.Option(
        False, "--exact-place", help="Do not include the provinces merged into --place in 2025."
    ),
    since: Optional[str] = typer.Option(None, "--since", help="Published on or after: 02/07/2021, 2021-07, 2021."),
    until: Optional[str] = typer.Option(None, "--until", help="Published on or before (inclusive)."),
    category: Optional[str] = typer.Option(None, "--category", help="Only this section."),
    source: Optional[str] = typer.Option(None, "--source", help="Only this source."),
    sort: str = typer.Option("relevance", "--sort", help="relevance, or date (newest first)."),
    facets: str = typer.Option(
        "", "--facets", help="Counts over all matches, e.g. place,author,category,month (also province, source, year)."
    ),
    facet_limit: int = typer.Option(10, "--facet-limit", min=1, help="Values shown per facet."),
    timeout: float = typer.Option(2.0, "--timeout", min=0.0, help="Seconds before the search stops (0: no limit)."),
    limit: int = typer.Option(10, "--limit", "-n", min=0, help="Hits to show."),
    offset: int = typer.Option(0, "--offset", min=0, help="Hits to skip first."),
    exact: bool = typer.Option(
        False, "--exact", help="Match words only as typed, marks and all: no folding, no abbreviations or synonyms."
    ),
    synonyms_file: Optional[Path] = typer.Option(
        None, "--synonyms", help="Also use these synonyms (lines like: UBND = Ủy ban nhân dân) for this query."
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Also say what words were searched as: readings, abbreviations, dates, authors."
    ),
    as_json: bool = AsJson,
    index_dir: Path = IndexDir,
) -> None:
    """Search the index. Exit 0 with hits, 1 without, 2 on error."""
    with _open(index_dir) as ix:
        try:
            synonyms = ix.synonyms.merged(Synonyms.from_file(synonyms_file)) if synonyms_file else None
            results = ix.search(
                text, author=author, place=place, exact_place=exact_place, since=since, until=until,
                category=category, source=source, sort=sort, facet_limit=facet_limit,
                facets=[f.strip() for f in facets.split(",") if f.strip()],
                limit=limit, offset=offset, timeout=timeout or None, exact=exact, synonyms=synonyms,
            )  # fmt: skip
        except SearchError as error:
            raise _failure(error) from None
    if as_json:
        _print_json(results.to_dict())
    else:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        for block in output.hits_text(results, offset, color):
            typer.echo(block)
        for line in output.facets_text(results.facets):
            typer.echo(line)
        typer.echo(f"search: {output.results_summary(results, offset)}", err=True)
        if results.suggestion and results.suggestion != text:
            typer.echo(f"search: did you mean: {results.suggestion}?", err=True)
        for line in output.understood_text(results.understood) if explain else ():
            typer.echo(f"search: {line}", err=True)
    if results.cut_short:
        typer.echo(f"search: stopped after {timeout:g} s (--timeout): the total and hits may be incomplete", err=True)
    raise typer.Exit(0 if results.total else 1)


@app.command()
def analyze(
    text: str = typer.Argument(..., help="Text to analyze."),
    as_json: bool = AsJson,
) -> None:
    """Show the normalized text and its tokens (accented and folded, with offsets)."""
    tokens = analyze_text(text)
    if as_json:
        _print_json(
            {
                "normalized": normalize(text),
                "tokens": [
                    {"text": t.text, "folded": t.folded, "start": t.start, "end": t.end, "position": t.position}
                    for t in tokens
                ],
            }
        )
        return
    typer.echo(f"normalized: {normalize(text)}")
    for line in output.token_table(text, tokens):
        typer.echo(line)


@app.command()
def suggest(
    prefix: str = typer.Argument(..., help='What the user has typed so far, e.g. "hau gi".'),
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="Completions to show."),
    as_json: bool = AsJson,
    index_dir: Path = IndexDir,
) -> None:
    """Complete a query as it is typed, with its marks, commonest first. Exit 0 with
    completions, 1 without."""
    with _open(index_dir) as ix:
        completions = ix.suggest(prefix, limit=limit)
    if as_json:
        _print_json({"prefix": prefix, "completions": [{"text": c.text, "count": c.count} for c in completions]})
    else:
        for completion in completions:
            typer.echo(completion.text)
    if not completions:
        typer.echo(f"search: no completion for {prefix!r}", err=True)
    raise typer.Exit(0 if completions else 1)


@app.command()
def show(
    id: str = typer.Argument(..., help="Article id, as shown by `search query`."),
    as_json: bool = AsJson,
    index_dir: Path = IndexDir,
) -> None:
    """Print one stored article."""
    with _open(index_dir) as ix:
        article = ix.get(id)
    if article is None:
        raise fail(f"no article with id {id!r}; find ids with: search query TEXT", 1)
    if as_json:
        _print_json(article.to_dict())
    else:
        typer.echo(output.article_text(article))


@app.command()
def info(as_json: bool = AsJson, index_dir: Path = IndexDir) -> None:
    """Document count, size on disk, date range and schema version."""
    with _open(index_dir) as ix:
        details = ix.info()
    if as_json:
        _print_json(details.to_dict())
    else:
        for line in output.info_text(details):
            typer.echo(line)


@app.command()
def check(
    index_dir: Path = IndexDir,
    quick: bool = typer.Option(False, "--quick", help="Compare files with the manifest only; skip reading them back."),
) -> None:
    """Verify the index: every file against the last commit's manifest, then read it all back.

    One line per problem on stdout; exit 0 when it is intact, 3 when something is damaged.
    """
    started = time.perf_counter()
    try:
        problems = Index.check(index_dir, deep=not quick)
    except SearchError as error:
        raise _failure(error) from None
    for problem in problems:
        typer.echo(str(problem))
    damaged = [p for p in problems if p.fatal]
    seconds = time.perf_counter() - started
    if damaged:
        count = f"{len(damaged)} problem{'s' if len(damaged) > 1 else ''}"
        if len(damaged) < len(problems) and any("previous commit is intact" in p.what for p in problems):
            remedy = "the commit before it is intact and is what searches read; the next `search index` replaces the damaged one"
        else:
            remedy = "restore it from a copy, or run: search index --rebuild"
        raise fail(f"index {index_dir} is damaged ({count}); {remedy}", 3)
    typer.echo(f"search: index {index_dir} is intact (checked in {seconds:.1f} s)", err=True)


@app.command()
def delete(
    id: str = typer.Argument(..., help="Article id."),
    index_dir: Path = IndexDir,
    lock_timeout: float = LockTimeout,
    allow_network_fs: bool = AllowNetworkFs,
) -> None:
    """Remove one article from the index (exit 75 when another process keeps it busy)."""
    with _open(index_dir, allow_network_fs) as ix:
        try:
            deleted = ix.delete(id, lock_timeout=lock_timeout)
        except SearchError as error:
            raise _failure(error) from None
        except OSError as error:
            raise fail(io_failure(index_dir, error), 74) from None
    if not deleted:
        raise fail(f"no article with id {id!r}", 1)
    typer.echo(f"search: deleted {id}", err=True)


def _print_json(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def main() -> None:
    """Entry point that also turns a closed pipe (``search query … | head``) into exit 0."""
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)

