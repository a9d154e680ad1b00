"""szei — the command line: run, validate, report, sample.

User mistakes (a missing folder, an unreadable file, a locked database) end in a message in
Chinese and English and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.errors import SzeiError

EXIT_CODES = """退出码 / exit codes:
  0  成功 / success
  2  输入或环境错误（目录不存在、文件无法读取、磁盘已满、没有权限）/ an input or environment error
     (missing folder, unreadable file, full disk, no permission)
  130 被中断 / interrupted (Ctrl-C)"""

# szei run: whether what was published can be trusted (pipelines.outcome; README "What blocks publication")
RUN_EXIT_CODES = """退出码 / exit codes:
  0  已发布，数据完整无误 / published, clean
  1  已发布，但有退回的行、整个被拒收或未读取的文件、提示需要核实 / published, with findings to review
     (rows rejected, files rejected whole or ignored, warnings)
  2  运行失败或输入、环境错误（消息说明替换了什么，通常什么也没有替换）/ failed, or an input or environment
     error (the message says what was replaced — normally nothing)
  3  未发布：统计期不完整或文件数值不可信，阻断了发布；已发布的数据集市与报告保持上次的结果 / blocked: an
     incomplete period or an implausible file; nothing published, the last good marts and report stay
  130 被中断 / interrupted (Ctrl-C)"""


def _main_description(plan) -> str:
    """The plan's industries, named in `szei --help` (the bundled data/raw/targets/)."""
    return (f"深圳市{'、'.join(plan.industries.names)}产业统计监测 / Shenzhen "
            f"{', '.join(e.replace('_', '-') for e in plan.industries.english.values())} monitoring")


HELP = {
    "main": (_main_description,  # filled in by _Help: reading the plan costs every other command ≈0.15 s
             RUN_EXIT_CODES + """

示例 / examples:
  szei run                                 # 用 data/raw 重建数据集市并生成报告 / rebuild the marts and the report
  szei run --raw-dir /data/2012Q4 --no-report
  szei validate data/raw/output/2012_1-12月.csv --out 退回清单
  szei sample --out /tmp/raw && szei run --raw-dir /tmp/raw
  szei COMMAND --help                      # 每个命令的说明 / help on one command"""),
    "run": ("运行全部步骤：读取 → 校验 → 数据集市 → 报告（Dagster 作业 refresh_all，进程内）。\n"
            "Run every step: read → validate → marts → report (the Dagster job refresh_all, in-process).\n"
            "每一步开始和结束各打印一行（含行数与秒数），输出到管道或日志时也一样。\n"
            "Each step prints a line when it starts and when it ends (counts, seconds), also into a pipe or a log.\n"
            "设置 DAGSTER_HOME 时，运行记录在 Dagster 界面中（作业名 refresh_all / refresh_marts）。\n"
            "With DAGSTER_HOME set, the run is recorded in the Dagster UI under the job's name.\n"
            "另一个运行正在生成同一数据集市时，本运行等待其结束（最长 SZEI_LOCK_WAIT_SECONDS 秒，默认 3600）。\n"
            "If another run is building the same marts, this one waits for it (up to SZEI_LOCK_WAIT_SECONDS, default 3600).",
            RUN_EXIT_CODES + """

示例 / examples:
  szei run
  szei run --raw-dir /data/raw --marts /data/marts/szei.duckdb --no-report
  szei run --quiet > run.log 2>&1; echo $?"""),
    "validate": ("只校验报送文件，不写数据集市；打印中文摘要。\n"
                 "Validate bureau files without touching the marts; prints a summary in Chinese.",
                 """退出码 / exit codes:
  0  全部接受，发布闸门无发现 / every row accepted, nothing for the publication gate
  1  有行被退回，或发布闸门有需要核实的发现 / some rows rejected, or gate findings to review
  2  有文件无法读取或参数错误（优先于 3）/ a file unreadable, or a usage error (before 3)
  3  按所给文件判断，发布会被阻断 / judged from these files, publication would be blocked

示例 / examples:
  szei validate data/raw/output/2012_1-12月.csv
  szei validate 新文件/*.csv --out 退回清单     # 写 退回清单.csv 与 退回清单.xlsx / writes .csv and .xlsx"""),
    "report": ("由已发布的数据集市生成统计分析报告（HTML、PDF、Excel 表格）。\n"
               "Render the statistical analysis report (HTML, PDF, Excel tables) from the published marts.",
               EXIT_CODES + """

示例 / examples:
  szei report
  szei report --period 2012-06 --out /tmp/report-2012H1"""),
    "sample": ("生成模拟数据（模拟数据）：DIR/output/ 为报送文件，DIR/targets/ 为工作方案参考数据，\n"
               "可直接用 szei run --raw-dir DIR 运行。\n"
               "Write synthetic bureau files: DIR/output/ (the files) and DIR/targets/ (the plan's reference\n"
               "data), a raw folder that szei run --raw-dir DIR accepts.",
               EXIT_CODES + """

示例 / examples:
  szei sample --out /tmp/raw && szei run --raw-dir /tmp/raw --marts /tmp/szei.duckdb
  szei sample --out /tmp/big --enterprises 200000 --formats csv --no-bad-rows"""),
}


HELP_OPTION = "显示本说明并退出 / show this help and exit"
YEARS_HELP = "年份，逗号分隔（默认 {years}）/ years, comma-separated"


class _Help(argparse.Action):
    """-h/--help. The texts that name the plan's facts (the industries in `szei --help`, the default years
    of `szei sample --help`) are read from the bundled plan only here: reading and checking
    data/raw/targets/ costs ≈0.15 s, which a run or a validation does not need before it reads its own."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        needs_plan = callable(parser.description) or any(a.dest == "years" for a in parser._actions)
        if needs_plan:
            from pipelines.startup import imports_without_gc

            with imports_without_gc(freeze=getattr(parser, "whole_process", False)):
                from pipelines.plan import default_plan

                plan = default_plan()
            if callable(parser.description):
                parser.description = parser.description(plan)
            for action in parser._actions:
                if action.dest == "years":
                    action.help = YEARS_HELP.format(years=_plan_years(plan))
        parser.print_help()
        parser.exit()


def _plan_years(plan) -> str:
    """'2010,2011,2012': the plan's years (plan_years.csv), the sample's default."""
    return ",".join(str(y) for y in plan.years.plan_years)


def _command(sub, name: str, short: str, whole_process: bool) -> argparse.ArgumentParser:
    description, epilog = HELP[name]
    command = sub.add_parser(name, help=short, description=description, epilog=epilog, add_help=False,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("-h", "--help", action=_Help, help=HELP_OPTION)
    command.whole_process = whole_process  # read by _Help
    return command


class _Version(argparse.Action):
    """--version: the installed version, read only when asked (importlib.metadata costs every other
    command ≈30 ms of start-up)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import version

        print(f"szei {version('szei')}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors (an unknown option, a missing value) said in Chinese too."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：命令行参数有误（{message}）；用法见 {self.prog} --help\n"
                     f"Error: {message} (see {self.prog} --help)\n")


def _parser(whole_process: bool = False) -> argparse.ArgumentParser:
    description, epilog = HELP["main"]
    parser = _Parser(prog="szei", description=description, epilog=epilog, add_help=False,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.whole_process = whole_process  # read by _Help
    parser.add_argument("-h", "--help", action=_Help, help=HELP_OPTION)
    parser.add_argument("--version", action=_Version,
                        help="显示版本并退出 / show the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = _command(sub, "run", "运行全部步骤 / run every step (read, validate, marts, report)", whole_process)
    run.add_argument("--raw-dir", metavar="DIR",
                     help="含 targets/ 与 output/ 的目录（默认 data/raw，或 SZEI_RAW_DIR）/ "
                          "folder holding targets/ and output/ (default data/raw, or SZEI_RAW_DIR)")
    run.add_argument("--marts", metavar="FILE",
                     help="发布的数据集市文件（默认 data/marts/szei.duckdb，或 SZEI_MARTS_DB）/ "
                          "the published marts file (default data/marts/szei.duckdb, or SZEI_MARTS_DB)")
    run.add_argument("--report-dir", metavar="DIR",
                     help="报告输出目录（默认 reports/_output）/ report folder (default reports/_output)")
    run.add_argument("--no-report", action="store_true", help="不生成报告（作业 refresh_marts）/ skip the report")
    loudness = run.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true",
                          help="只打印错误 / print errors only")
    loudness.add_argument("-v", "--verbose", action="store_true",
                          help="另打印每步的日志与每项检查 / also print each step's log lines and every check")

    validate = _command(sub, "validate", "只校验文件，不写数据集市 / validate files without touching the marts", whole_process)
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE",
                          help="报送文件（.csv 或 .xlsx）/ bureau files (.csv or .xlsx)")
    validate.add_argument("--out", type=Path, metavar="PATH",
                          help="退回清单输出路径（写 PATH.csv 与 PATH.xlsx）/ write the rejected rows to PATH.csv and PATH.xlsx")
    validate.add_argument("--raw-dir", metavar="DIR",
                          help="参考数据所在目录（其 targets/，默认 data/raw）/ folder whose targets/ holds the reference data")

    report = _command(sub, "report", "由数据集市生成报告 / render the report from the marts", whole_process)
    report.add_argument("--marts", metavar="FILE", help="数据集市文件（默认 data/marts/szei.duckdb）/ the marts file")
    report.add_argument("--out", metavar="DIR", help="输出目录（默认 reports/_output）/ output folder")
    report.add_argument("--period", metavar="YYYY-MM",
                        help="统计期，如 2012-12 即 2012年1-12月（默认最新）/ period, e.g. 2012-12 (default: the latest)")

    sample = _command(sub, "sample", "生成模拟数据 / generate synthetic bureau files", whole_process)
    sample.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="原始数据目录：写入 DIR/output/ 与 DIR/targets/ / the raw folder to write "
                             "(DIR/output/ and DIR/targets/)")
    sample.add_argument("--seed", type=int, default=2012, help="随机种子（默认 2012）/ random seed (default 2012)")
    sample.add_argument("--enterprises", type=int, metavar="N", help="企业数 / number of enterprises")
    sample.add_argument("--years", help=YEARS_HELP)  # default: the plan's years (_sample), named by _Help
    sample.add_argument("--formats", choices=["auto", "mixed", "csv"], default="auto",
                        help="auto：小样本混合格式（GBK、xlsx、千元），大样本仅 CSV；mixed；csv / "
                             "auto: mixed formats for small samples, CSV only for large ones")
    sample.add_argument("--no-bad-rows", action="store_true", help="不注入错误行 / inject no bad rows")
    return parser


def _run(args: argparse.Namespace) -> int:
    from pipelines.progress import NORMAL, QUIET, VERBOSE
    from pipelines.run import run_pipeline
    from pipelines.settings import Settings

    settings = Settings.from_env(args.raw_dir, args.marts, args.report_dir)
    verbosity = QUIET if args.quiet else VERBOSE if args.verbose else NORMAL
    return run_pipeline(settings, with_report=not args.no_report, verbosity=verbosity,
                        freeze_imports=args.whole_process)


def _validate(args: argparse.Namespace) -> int:
    from pipelines.settings import Settings
    from pipelines.startup import imports_without_gc

    with imports_without_gc(freeze=args.whole_process):  # polars, pandera, the validation library
        from pipelines.cli_validate import run_validate

    settings = Settings.from_env(args.raw_dir)
    return run_validate(list(args.files), args.out, settings.targets_dir)


def _report(args: argparse.Namespace) -> int:
    from pipelines.settings import Settings
    from pipelines.startup import imports_without_gc

    with imports_without_gc(freeze=args.whole_process):
        from pipelines.report import render_report

    settings = Settings.from_env(marts_db=args.marts, report_dir=args.out)
    outputs = render_report(settings.marts_db, settings.report_dir, args.period)
    for kind, path in outputs.items():
        print(f"报告已生成 / report written ({kind}): {path}")
    return 0


def _sample(args: argparse.Namespace) -> int:
    from pipelines.plan import default_plan
    from pipelines.sample.raw_folder import generate_raw_folder
    from pipelines.settings import Settings

    years = args.years or _plan_years(default_plan())  # the bundled plan: the sample copies its targets/
    options = {"seed": args.seed, "years": tuple(int(y) for y in years.split(",")),
               "bad_rows": not args.no_bad_rows, "formats": args.formats}
    if args.enterprises:
        options["enterprises"] = args.enterprises
    files, copied = generate_raw_folder(args.out, Settings.from_env().targets_dir, **options)
    print(f"已生成 {len(files)} 个模拟数据文件 / wrote {len(files)} synthetic files to {args.out / 'output'}")
    if copied:
        print(f"已复制参考数据 / copied the reference data to {args.out / 'targets'}")
    else:
        print(f"保留现有参考数据 / kept the existing reference data in {args.out / 'targets'}")
    print(f"运行 / run: szei run --raw-dir {args.out}")
    return 0


COMMANDS = {"run": _run, "validate": _validate, "report": _report, "sample": _sample}


def main(argv: list[str] | None = None) -> int:
    """`argv` None: this call is the whole process (the `szei` script, `python -m pipelines.cli`), whose
    imports may stay frozen (`pipelines.startup`); a caller passing its own arguments goes on afterwards."""
    whole_process = argv is None
    args = _parser(whole_process).parse_args(argv)
    args.whole_process = whole_process
    try:
        return COMMANDS[args.command](args)
    except SzeiError as err:
        print(err.message(), file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("已中断；已发布的数据集市未受影响 / interrupted; the published marts are untouched", file=sys.stderr)
        return 130
    except PermissionError as err:
        print(f"错误：没有权限访问 {err.filename}\nError: permission denied: {err.filename}", file=sys.stderr)
        return 2
    except OSError as err:
        if err.errno == 28:  # ENOSPC
            print("错误：磁盘空间不足，已发布的数据集市未受影响\nError: no space left on device; "
                  "the published marts are untouched", file=sys.stderr)
            return 2
        print(f"错误：{err.strerror or err}（{err.filename or ''}）\nError: {err.strerror or err} ({err.filename or ''})",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
