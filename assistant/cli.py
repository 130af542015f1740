"""Command line: `archivist index | ask | eval | status`. I/O only; the work is in the package."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Archivist: ask questions about a news archive, locally.")
err = Console(stderr=True)
out = Console()


def _fail(message: str, code: int = 1):
    # Messages, paths and titles are text, not markup: "[large]" in an install hint or "[Opinion]"
    # in a headline would otherwise be read as a style tag and vanish.
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _settings(**overrides) -> Settings:
    return Settings.from_env(**overrides)


def _date(value: Optional[str], flag: str) -> Optional[str]:
    from .dates import InvalidDateError, check_filter_date

    try:
        return check_filter_date(value, flag)  # the same message as Filters and the page
    except InvalidDateError as exc:
        _fail(str(exc), 2)


def _shown_date(item) -> str:
    from .ui import format_date

    return format_date(item.published, source=getattr(item, "date_source", None))


@app.command()
def index(
    archive: Optional[Path] = typer.Option(None, "--archive", help="Archive folder (default archive/, env ARCHIVIST_ARCHIVE)."),
    index_dir: Optional[Path] = typer.Option(None, "--index", help="Index folder (default index/, env ARCHIVIST_INDEX)."),
    full: bool = typer.Option(False, "--full", help="Rebuild from scratch instead of updating."),
    embedding_model: Optional[str] = typer.Option(None, "--embedding-model", help="sentence-transformers folder (default: bundled all-MiniLM-L6-v2)."),
    no_wait: bool = typer.Option(False, "--no-wait", help="Fail at once if another build of this index is running (default: wait for it, up to ARCHIVIST_BUILD_LOCK_TIMEOUT seconds)."),
):
    """Build or update the index from the archive folder."""
    from .indexer import build_index
    from .ingest import ArchiveError
    from .store import BuildInProgress

    settings = _settings(archive=archive, index=index_dir, embedding_model=embedding_model)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=err, transient=False) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage == "waiting":
                    err.print(f"another build of {escape(str(settings.index))} is running: waiting for it to finish…", highlight=False)
                    return
                if stage not in tasks:
                    tasks[stage] = bar.add_task("files    " if stage == "files" else "embedding", total=total)
                bar.update(tasks[stage], completed=done, total=total)

            report = build_index(settings, full=full, progress=progress, wait=not no_wait)
    except ArchiveError as exc:
        _fail(str(exc))
    except BuildInProgress as exc:
        _fail(str(exc), 75)  # EX_TEMPFAIL: try again later
    except Exception as exc:  # a one-line reason beats a traceback for a librarian
        _fail(f"{type(exc).__name__}: {exc}")
    for s in report.skipped:
        err.print(f"[yellow]skipped[/] {escape(str(s.path))}: {escape(s.reason)}", highlight=False)
    state = "written" if report.wrote else "unchanged (nothing to do)"
    out.print(
        f"index {state} at {settings.index}: {report.files_seen} files seen, {report.added} added, "
        f"{report.updated} updated, {report.removed} removed, {report.unchanged} unchanged, "
        + (f"{report.reread} re-read (text extraction improved), " if report.reread else "")
        + f"{len(report.skipped)} skipped; {report.documents} articles, {report.chunks} chunks "
        f"({report.embedded_chunks} embedded) in {report.seconds:.1f} s"
        + (f"; full rebuild: {report.reason}" if report.reason else ""),
        highlight=False,
    )


def _load_assistant(settings: Settings):
    from .gguf import ModelError
    from .pipeline import Assistant
    from .store import IndexError_

    assistant = Assistant(settings)
    try:
        assistant.index  # noqa: B018 - fail early with a clear line
    except IndexError_ as exc:
        _fail(str(exc))
    return assistant, ModelError


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question."),
    index_dir: Optional[Path] = typer.Option(None, "--index"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Answer as the archive stood on this date (YYYY-MM-DD)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only articles published on or after this date."),
    until: Optional[str] = typer.Option(None, "--until", help="Only articles published on or before this date."),
    source: list[str] = typer.Option([], "--source", help="Only this outlet (repeatable)."),
    include_undated: bool = typer.Option(False, "--include-undated", help="Keep undated articles (and pdfs dated only by their file-creation date) under --as-of too; by default --as-of keeps only articles provably published by then."),
    top_k: Optional[int] = typer.Option(None, "--top-k", min=1, help="Passages given to the model."),
    model: Optional[str] = typer.Option(None, "--model", help="small | large | path to a GGUF file."),
    fallback_model: Optional[str] = typer.Option(None, "--fallback-model",
                                                 help="Asked when the model's reply does not stand: large (default, when installed) | path | none."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of streaming."),
):
    """Answer a question from the archive, with citations."""
    from .types import Answer, Filters

    filters = Filters(since=_date(since, "--since"), until=_date(until, "--until"), as_of=_date(as_of, "--as-of"), sources=list(source),
                      include_undated=True if include_undated else None)
    settings = _settings(index=index_dir, model=model, top_k=top_k, fallback_model=fallback_model)
    assistant, ModelError = _load_assistant(settings)
    answer, streamed = None, []
    try:
        for item in assistant.stream(question, filters=filters, top_k=top_k):
            if isinstance(item, Answer):
                answer = item
            elif not as_json:
                streamed.append(item)
                sys.stdout.write(item)
                sys.stdout.flush()
    except ModelError as exc:
        _fail(str(exc))
    if as_json:
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=1))
        return
    print()
    if answer.fallback:
        # A refusal's wait, or an answer, that took two models: say which one answered.
        out.print(f"[dim]the {escape(answer.fallback)} model " + (
            "found no answer either[/]" if answer.refused else "answered: the first model found none[/]"),
                  highlight=False)
    if answer.answer != "".join(streamed).strip():
        # Invalid markers were dropped by the citation check: show the text that was kept.
        out.print(f"\n[dim]checked:[/] {escape(answer.answer)}", highlight=False)
    if answer.refused:
        if answer.passages:
            out.print("\n[bold]Closest matches:[/]")
            for i, p in enumerate(answer.passages, 1):
                out.print(escape(f"  {i}. {p.title} — {p.source or 'unknown outlet'}, {_shown_date(p)} — {p.url or p.path}"),
                          highlight=False)
        return
    if answer.citations:
        out.print("\n[bold]Sources:[/]")
        for c in answer.citations:
            where = c.url or c.path + (f" (page {c.page})" if c.page else "")
            mark = "" if c.supported else " [yellow](not supported by the passage)[/]"
            out.print(escape(f"  [{c.n}] {c.title} — {c.source or 'unknown outlet'}, {_shown_date(c)} — {where}") + mark,
                      highlight=False)
    if answer.unsupported_sentences:
        out.print(f"[yellow]{len(answer.unsupported_sentences)} sentence(s) not supported by their cited passages.[/]")


def answer_json(answer) -> dict:
    return {
        "question": answer.question,
        "answer": answer.answer,
        "refused": answer.refused,
        "query": answer.query,
        "as_of": answer.as_of,
        "fallback": answer.fallback,
        "invalid_markers": answer.invalid_markers,
        "unsupported_sentences": answer.unsupported_sentences,
        "citations": [
            {k: getattr(c, k) for k in ("n", "doc_id", "title", "source", "published", "url", "path", "page", "start", "end", "quote", "supported")}
            for c in answer.citations
        ],
        "passages": [p.to_dict() for p in answer.passages],
        "timings": answer.timings.__dict__,
    }


@app.command()
def status(index_dir: Optional[Path] = typer.Option(None, "--index")):
    """Show what the index holds."""
    settings = _settings(index=index_dir)
    assistant, _ = _load_assistant(settings)
    st = assistant.index.status()
    table = Table(show_header=False)
    for k, v in st.__dict__.items():
        table.add_row(k, ", ".join(v) if isinstance(v, list) else str(v))
    out.print(table)


@app.command(name="eval")
def eval_(
    questions: Path = typer.Argument(..., help="Question set (.jsonl or .csv)."),
    index_dir: Optional[Path] = typer.Option(None, "--index"),
    out_dir: Path = typer.Option(Path("eval-out"), "--out", help="Report folder (rerun to resume)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1),
    top_k: Optional[int] = typer.Option(None, "--top-k", min=1),
    model: Optional[str] = typer.Option(None, "--model", help="small | large | path to a GGUF file."),
    fallback_model: Optional[str] = typer.Option(None, "--fallback-model",
                                                 help="Asked when the model's reply does not stand: large (default, when installed) | path | none."),
    retrieval_only: bool = typer.Option(False, "--retrieval-only", help="Skip generation; retrieval metrics only."),
    open_questions: bool = typer.Option(False, "--open", help="Ignore the choices: ask each question as a chat user would."),
    unanswerable: bool = typer.Option(False, "--unanswerable",
                                      help="Score every question as one the archive cannot answer (refusal recall)."),
):
    """Run a question set and write report.json, report.md and answers.jsonl."""
    from .evaluation import load_questions, run_eval

    if not questions.exists():
        _fail(f"question set not found: {questions}")
    settings = _settings(index=index_dir, model=model, top_k=top_k, fallback_model=fallback_model)
    qs, problems = load_questions(questions)
    for p in problems:
        err.print(f"[yellow]skipped[/] {escape(str(p))}", highlight=False)
    if not qs:
        _fail(f"no valid question in {questions}")
    assistant, ModelError = _load_assistant(settings)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[info]}"))
    try:
        with Progress(*columns, console=err) as bar:
            task = bar.add_task("questions", total=min(len(qs), limit or len(qs)), info="")

            def progress(done: int, total: int, metrics: dict) -> None:
                info = " ".join(f"{k}={v:.2f}" for k, v in metrics.items() if isinstance(v, float))
                bar.update(task, completed=done, total=total, info=info)

            report = run_eval(assistant, qs, out_dir, limit=limit, top_k=top_k, retrieval_only=retrieval_only,
                              progress=progress, problems=problems, questions_file=questions,
                              open_questions=open_questions, unanswerable=unanswerable)
    except (ModelError, ValueError) as exc:
        _fail(str(exc))
    metrics = report.metrics
    table = Table("metric", "value", title=f"evaluation of {questions.name}")
    for k, v in metrics.items():
        table.add_row(k, f"{v:.3f}" if isinstance(v, float) else str(v))
    out.print(table)
    out.print(f"report: {out_dir / 'report.md'}")
    if report.interrupted:
        err.print(f"interrupted after {report.answered} new answers: run the same command again to resume")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
