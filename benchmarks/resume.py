"""Re-running ``search index`` over files already indexed (whoosh.md G9: a re-run over an
unchanged corpus takes ≤ 10 % of the first run).

Writes the first ``--docs`` VietNews records as ``--files`` small JSON Lines files in a
temporary folder, then times, each as a fresh ``search index`` process:

1. the first run (empty index);
2. a re-run with nothing changed: the ledger (``search.ledger``) skips every file unread;
3. the same re-run without the ledger: ``--field title=title`` maps a key to itself,
   which reads the records exactly as before but in another context, so every file is
   read and every article is found unchanged by its fingerprint (what re-runs cost
   before the ledger);
4. a re-run after touching 10 % of the files (read again, their articles unchanged).

Prints a Markdown table. A few minutes for 20,000 articles:

    .venv/bin/python benchmarks/resume.py /work/shared/data/vietnews --docs 20000 --files 2000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import corpus_files, iter_records, log  # noqa: E402

SEARCH = [sys.executable, "-c", "from search.cli import main; main()"]


def write_corpus(source: str, folder: Path, docs: int, files: int) -> list[Path]:
    records = [r for path in corpus_files(source) for r in iter_records(path, docs)][:docs]
    per_file = max(1, -(-len(records) // files))
    written = []
    for start in range(0, len(records), per_file):
        path = folder / f"{start // per_file:05d}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[start : start + per_file]), encoding="utf-8")
        written.append(path)
    return written


def timed_index(index: Path, corpus: Path, *extra: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(SEARCH + ["index", "--index", str(index), "--batch-size", "200", *extra, str(corpus)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"search index exited {done.returncode}: {done.stderr.strip()}")
    return seconds, done.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vietnews", help="folder of VietNews *.jsonl.gz shards")
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        corpus, index = Path(temp) / "corpus", Path(temp) / "ix"
        corpus.mkdir()
        files = write_corpus(args.vietnews, corpus, args.docs, args.files)
        log(f"{len(files)} files written; first run…")
        rows = [("first run", *timed_index(index, corpus))]
        log("re-run…")
        rows.append(("re-run, nothing changed (ledger)", *timed_index(index, corpus)))
        log("re-run without the ledger…")
        rows.append(("re-run, nothing changed, no ledger (fingerprints)", *timed_index(index, corpus, "--field", "title=title")))
        for path in files[:: 10]:
            os.utime(path)
        log("re-run after touching 10 % of the files…")
        rows.append(("re-run, 10 % of files touched", *timed_index(index, corpus, "--field", "title=title")))
    first = rows[0][1]
    print(f"{args.docs:,} VietNews articles in {len(files):,} files, --batch-size 200\n")
    print("| run | seconds | share of the first run | summary line |")
    print("|---|---:|---:|---|")
    for name, seconds, summary in rows:
        print(f"| {name} | {seconds:.1f} | {seconds / first:.1%} | {summary.removeprefix('search: ')} |")


if __name__ == "__main__":
    main()
