"""``anbudsvakt classify``, ``anbudsvakt train classifier`` and ``anbudsvakt eval classifier``."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

EVAL_MODEL = Path("models/cpv_classifier_eval")
CHUNK = 256  # lines classified together: spaCy's nlp.pipe is several times faster in batches
ID_IN_BROKEN_JSON = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')


def parse_line(line: str) -> tuple[Any, str, str | None]:
    """(id, text, error) for one input line. A line that is not a JSON object still yields an output line: its id
    when one can be read from it, the text classified as empty, and the error in Swedish."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        found = ID_IN_BROKEN_JSON.search(line)
        return (json.loads(found.group(1)) if found else None), "", f"ogiltig JSON: {error.msg}"
    if not isinstance(item, dict):
        return None, "", "raden är inte ett JSON-objekt"
    parts = [item.get("title"), item.get("description")]
    text = " ".join(p if isinstance(p, str) else json.dumps(p, ensure_ascii=False) for p in parts if p is not None)
    return item.get("id"), text, None


def _chunks(lines: Iterator[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for line in lines:
        if line.strip():  # blank lines are not inputs
            chunk.append(line)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _scored(code: str, score: float) -> dict[str, Any]:
    """A code with its score and, for the person reading the output, its Swedish label (an added key)."""
    from tenders.codelists import cpv_label

    return {"code": code, "score": score, "label": cpv_label(code.ljust(8, "0"))}


def classify_stream(lines: Iterator[str], out: Any, classifier: Any, top: int = 5) -> int:
    count = 0
    for chunk in _chunks(lines):
        parsed = [parse_line(line) for line in chunk]
        analysed = classifier.analyse_many([text for _, text, _ in parsed], top=top)
        for (item_id, _, error), scores in zip(parsed, analysed, strict=True):
            divisions = [_scored(d.code, d.score) for d in scores.divisions]
            record: dict[str, Any] = {"id": item_id, "divisions": divisions}
            if scores.groups:  # an addition to the agreed format; a model without a group head leaves it out
                record["groups"] = [_scored(g.code, g.score) for g in scores.groups]
            if error:
                record["error"] = error
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
        count += len(chunk)
    return count


def classify(
    model: Path | None = typer.Option(None, help="Modellkatalog (standard: ANBUDSVAKT_MODEL_DIR)."),
    top: int = typer.Option(5, min=3, help="Antal CPV-huvudgrupper (och grupper) per rad (minst 3)."),
) -> None:
    """Klassificera JSON Lines från stdin ({"id","title","description"}) till CPV-huvudgrupper och grupper på stdout."""
    from nlp.classify import CpvClassifier, load_classifier
    from tenders.settings import get_settings

    classifier = CpvClassifier.from_path(model) if model else load_classifier(get_settings())
    lines = (line.encode("utf-8", "replace").decode("utf-8") for line in sys.stdin)
    classify_stream(lines, sys.stdout, classifier, top=top)


def train_classifier(
    scope: str = typer.Option("all", help="all: alla rader (modellen som levereras); train: bara träningsdelen."),
    output: Path | None = typer.Option(None, help="Standard: models/cpv_classifier resp. models/cpv_classifier_eval."),
) -> None:
    """Träna CPV-klassificeraren reproducerbart (fasta frön) från datasets/uhm-2021 och CPV-etiketterna."""
    from nlp.train import TrainConfig
    from nlp.train import train_classifier as train

    if scope not in ("all", "train"):
        raise typer.BadParameter("scope är all eller train")
    target = output or (Path("models/cpv_classifier") if scope == "all" else EVAL_MODEL)
    summary = train(target, TrainConfig(scope=scope), log=typer.echo)  # type: ignore[arg-type]
    typer.echo(f"Sparad i {target} ({summary['examples']} exempel, {summary['seconds']} s).")


def eval_classifier(
    model: Path = typer.Option(EVAL_MODEL, help="En modell tränad med --scope train."),
    output: Path | None = typer.Option(None, help="Skriv resultatet som JSON hit."),
) -> None:
    """Utvärdera på data som träningen aldrig sett (köpare och tid hålls ut), bredvid en baslinje."""
    from nlp.evaluate import run_evaluation

    results = run_evaluation(model)
    print_report(results)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=dict) + "\n", encoding="utf-8")


# The evaluation's sets and scorers in the report (the JSON written with --output keeps the keys).
SET_NAMES = {
    "held_out_buyers": "köpare som träningen inte sett",
    "held_out_buyers_after_cutoff": "köpare som träningen inte sett, efter brytdagen",
    "seen_buyers_after_cutoff": "köpare som träningen sett, efter brytdagen",
}
SCORER_NAMES = {"model": "modell", "baseline": "baslinje"}


def print_report(results: dict[str, Any]) -> None:
    typer.echo(f"Träningstitlar: {results['train_titles']} (plus CPV-etiketter); modell: {results['model_dir']}")
    for set_name, set_label in SET_NAMES.items():
        block = results[set_name]
        typer.echo(f"\n{set_label} (n={block['model']['n']})")
        for name, label in SCORER_NAMES.items():
            typer.echo(f"  {label:9s} top-1 {block[name]['top1']:.3f}  top-3 {block[name]['top3']:.3f}")
        for name, label in SCORER_NAMES.items():
            if f"{name}_groups" in block:
                groups = block[f"{name}_groups"]
                typer.echo(
                    f"  {label:9s} grupper top-1 {groups['top1']:.3f}  top-3 {groups['top3']:.3f}  "
                    f"(titlar i modellerade grupper, n={groups['modelled']['n']}: "
                    f"{groups['modelled']['top1']:.3f} / {groups['modelled']['top3']:.3f})"
                )
    headline = results["held_out_buyers"]
    typer.echo(f"\nRecall per huvudgrupp ({SET_NAMES['held_out_buyers']}; modell / baslinje, antal):")
    for division, support in headline["model"]["support"].items():
        model_recall, base_recall = headline["model"]["recall"][division], headline["baseline"]["recall"][division]
        typer.echo(f"  {division}: {model_recall:.2f} / {base_recall:.2f}  ({support})")
    typer.echo("\nFörväxling bland de största huvudgrupperna (rad = rätt, kolumn = modellens topp-1):")
    table = headline["model"]["confusion"]
    columns = list(next(iter(table.values())))
    typer.echo("      " + " ".join(f"{c:>6s}" for c in columns))
    for division, row in table.items():
        typer.echo(f"  {division}  " + " ".join(f"{row[c]:6d}" for c in columns))


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    app.command("classify")(classify)
    train_app = typer.Typer(help="Träna modeller reproducerbart.", no_args_is_help=True)
    train_app.command("classifier")(train_classifier)
    app.add_typer(train_app, name="train")
    groups["eval"].command("classifier")(eval_classifier)
