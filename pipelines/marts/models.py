"""The SQL project of sql/: its models, found in the folder and put in dependency order, and its checks.

Each `.sql` file opens with a header block, a YAML comment that states what Python must not:
a model's `kind` (how it is created), `description` (the table's comment), `grain` and `columns`
(each stored column's comment); a check's `description`. The data dictionary (COMMENT ON) is
generated from these headers and from `sql/sources.yml` (the ref_* tables), see `comment_statements`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from pipelines.errors import SzeiError
from pipelines.settings import SQL_DIR

LAYERS: tuple[str, ...] = ("staging", "intermediate", "marts")

# How a model may be created: staging and build-time scaffolding as temporary objects (never written
# to the file), the stored models as tables or views.
KINDS: frozenset[str] = frozenset({"temp view", "temp table", "view", "table"})

# Inputs that are not models: the validated batch (raw_*) and the reference tables (ref_*).
SOURCE_PREFIXES: tuple[str, ...] = ("raw_", "ref_")

_HEADER = re.compile(r"\A\s*/\*(.*?)\*/\s*\n", re.S)
_PARAM = re.compile(r"\$([a-z_]+)")
_LINE_COMMENT = re.compile(r"--[^\n]*")
_STRING = re.compile(r"'(?:[^']|'')*'")
# what a query reads: the name after `from` or `join` (not a function call such as `from range(…)`)
_READ = re.compile(r"\b(from|join)\s+([a-z_][a-z0-9_]*)\b(?!\s*\()", re.I)
_CTE = re.compile(r"\b([a-z_][a-z0-9_]*)\s+as\s*\(", re.I)
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
# `is distinct from x`, `extract(year from x)`, `trim(both ' ' from x)`: x is a value, not a relation
_NOT_A_RELATION_BEFORE = re.compile(r"(\bdistinct\s+|\b(?:extract|trim)\s*\([^()]*)$", re.I)
_KEYWORDS = frozenset({"select", "values", "lateral", "unnest", "case"})


class SqlProjectError(SzeiError):
    """The sql/ folder does not make a project: a bad header, a reference to no model, a cycle."""


def _yaml(text: str):
    """Safe YAML through libyaml where PyYAML has it: the ~110 headers are read twice a build, 0.02 → 0.004 s."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # a safe loader either way


def _split_header(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    match = _HEADER.match(text)
    if not match:
        raise SqlProjectError("缺少开头的说明块 /* kind: … */", "no header block /* kind: … */ at the top", file=str(path))
    try:
        header = _yaml(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise SqlProjectError(f"说明块不是有效的 YAML：{exc}", f"the header block is not valid YAML: {exc}",
                              file=str(path)) from None
    if not isinstance(header, dict):
        raise SqlProjectError("说明块应为键值对", "the header block must be a mapping", file=str(path))
    return header, text[match.end():]


@dataclass(frozen=True)
class SqlFile:
    name: str
    path: Path
    header: dict = field(default_factory=dict, compare=False, repr=False)
    text: str = field(default="", compare=False, repr=False)  # the SQL without its header

    @classmethod
    def read(cls, path: Path) -> SqlFile:
        header, body = _split_header(path)
        return cls(path.stem, path, header, body)

    @property
    def layer(self) -> str:
        return self.path.parent.name

    @property
    def kind(self) -> str:
        return self.header.get("kind", "")

    @property
    def description(self) -> str | None:
        return self.header.get("description")

    @property
    def grain(self) -> str | None:
        return self.header.get("grain")

    @property
    def columns(self) -> dict[str, str]:
        return dict(self.header.get("columns") or {})

    @property
    def stored(self) -> bool:
        """Written to the marts file (a table or a view), so documented in the dictionary."""
        return self.kind in ("table", "view")

    @cached_property
    def reads(self) -> frozenset[str]:
        """The relations this SQL reads (its own CTEs left out): models and raw_*/ref_* sources."""
        code = _STRING.sub("''", _LINE_COMMENT.sub("", self.text))
        ctes = {name.lower() for name in _CTE.findall(code)}
        names = set()
        for match in _READ.finditer(code):
            if _NOT_A_RELATION_BEFORE.search(code[max(0, match.start() - 80): match.start()]):
                continue
            name = match.group(2).lower()
            if name not in ctes and name not in _KEYWORDS:
                names.add(name)
        return frozenset(names)

    def params(self, available: dict[str, object]) -> dict[str, object]:
        """Only the bound parameters this file names (DuckDB rejects unused ones)."""
        return {name: available[name] for name in set(_PARAM.findall(self.text))}


def _discover(sql_dir: Path) -> dict[str, SqlFile]:
    models: dict[str, SqlFile] = {}
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            model = SqlFile.read(path)
            if not _IDENTIFIER.match(model.name):
                raise SqlProjectError("模型名只能用小写字母、数字和下划线", "a model's name is [a-z0-9_]", file=str(path))
            if model.name in models:
                other = models[model.name].path
                raise SqlProjectError(f"模型名与 {other} 重复", f"the same model name as {other}", file=str(path))
            if model.kind not in KINDS:
                raise SqlProjectError(
                    f"说明块的 kind 应为 {'、'.join(sorted(KINDS))} 之一，实为 {model.kind!r}",
                    f"the header's kind must be one of {sorted(KINDS)}, not {model.kind!r}",
                    file=str(path),
                )
            if model.kind.endswith("view") and _PARAM.search(model.text):
                raise SqlProjectError(
                    "视图不能含绑定参数（$…），请改为 table 或 temp table",
                    "a view cannot hold bound parameters ($…): make it a table or a temp table",
                    file=str(path),
                )
            models[model.name] = model
    return models


def _is_source(name: str) -> bool:
    return name.startswith(SOURCE_PREFIXES)


def model_files(sql_dir: Path = SQL_DIR) -> list[SqlFile]:
    """Every model under sql/staging, sql/intermediate and sql/marts, each after the models it reads
    (ties by layer, then name, so the order is the same every run). A reference to no model or
    source, and a cycle, are errors that name the files."""
    models = _discover(sql_dir)
    needs: dict[str, set[str]] = {}
    for model in models.values():
        unknown = sorted(name for name in model.reads if name not in models and not _is_source(name))
        if unknown:
            names = ", ".join(unknown)
            raise SqlProjectError(f"引用了不存在的模型 {names}", f"reads no model or source: {names}", file=str(model.path))
        needs[model.name] = {name for name in model.reads if name in models and name != model.name}
        if model.name in model.reads:
            raise SqlProjectError("模型引用自身", "the model reads itself", file=str(model.path))
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    order: list[SqlFile] = []
    done: set[str] = set()
    waiting = dict(needs)
    while waiting:
        # one at a time, the first ready by layer then name: staging, intermediate, marts as far as the reads allow
        ready = sorted((n for n, deps in waiting.items() if deps <= done), key=lambda n: (rank[models[n].layer], n))[:1]
        if not ready:
            cycle = ", ".join(str(models[n].path.relative_to(sql_dir)) for n in sorted(waiting))
            raise SqlProjectError(
                f"模型之间存在循环引用（或依赖循环中的模型）：{cycle}",
                f"models that read each other in a cycle (or depend on one): {cycle}",
            )
        for name in ready:
            order.append(models[name])
            done.add(name)
            del waiting[name]
    return order


def check_files(sql_dir: Path = SQL_DIR) -> list[SqlFile]:
    """The blocking checks of sql/checks/, each with the description its header states."""
    checks = []
    for path in sorted((sql_dir / "checks").glob("*.sql")):
        check = SqlFile.read(path)
        if not check.description:
            raise SqlProjectError("说明块缺少 description", "the header block has no description", file=str(path))
        checks.append(check)
    return checks


def check_descriptions(sql_dir: Path = SQL_DIR) -> dict[str, str]:
    return {check.name: check.description for check in check_files(sql_dir)}


def sources(sql_dir: Path = SQL_DIR) -> dict[str, dict]:
    """The documented ref_* tables (sql/sources.yml): each with a description and column comments."""
    return _yaml((sql_dir / "sources.yml").read_text(encoding="utf-8"))["sources"]


def _literal(text: str) -> str:
    # COMMENT ON takes no bound parameter: the text, from this repository's own files, as a quoted literal
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise SqlProjectError(f"不是列名或表名：{name!r}", f"not a column or table name: {name!r}")
    return f'"{name}"'


def documented(sql_dir: Path = SQL_DIR) -> dict[str, tuple[str, str | None, dict[str, str]]]:
    """Every stored relation's (object kind, description, column comments): the models stored in
    the file and the ref_* sources."""
    docs = {
        name: ("table", entry.get("description"), dict(entry.get("columns") or {}))
        for name, entry in sources(sql_dir).items()
    }
    for model in model_files(sql_dir):
        if model.stored:
            docs[model.name] = (model.kind, model.description, model.columns)
    return docs


def comment_statements(sql_dir: Path = SQL_DIR) -> list[str]:
    """The data dictionary as COMMENT ON statements, from the headers and sql/sources.yml."""
    statements = []
    for name, (kind, description, columns) in documented(sql_dir).items():
        if description:
            statements.append(f"comment on {kind} {_identifier(name)} is {_literal(description)}")
        for column, comment in columns.items():
            statements.append(f"comment on column {_identifier(name)}.{_identifier(column)} is {_literal(comment)}")
    return statements
