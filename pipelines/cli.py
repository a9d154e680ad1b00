"""szei — the command line: run, validate, report, sample.

User mistakes (a missing folder, an unreadable file, a locked database) end in a message in
Chinese and English and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.errors import SzeiError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="szei",
        description="深圳市生物、互联网、新能源产业统计监测 / Shenzhen bio, internet, new-energy monitoring",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="运行全部资产（Dagster，进程内）/ materialize every asset in-process")
    run.add_argument("--raw-dir", help="含 targets/ 与 output/ 的目录（默认 data/raw，或 SZEI_RAW_DIR）")
    run.add_argument("--marts", help="数据集市文件（默认 data/marts/szei.duckdb，或 SZEI_MARTS_DB）")
    run.add_argument("--report-dir", help="报告输出目录（默认 reports/_output）")
    run.add_argument("--no-report", action="store_true", help="不生成报告 / skip the report")

    validate = sub.add_parser("validate", help="只校验文件，不写数据集市 / validate files without touching the marts")
    validate.add_argument("files", nargs="+", type=Path)
    validate.add_argument("--out", type=Path, help="退回清单输出路径（写 .csv 与 .xlsx）")
    validate.add_argument("--raw-dir", help="参考数据所在目录（其 targets/ 子目录）")

    report = sub.add_parser("report", help="由数据集市生成报告 / render the report from the marts")
    report.add_argument("--marts", help="数据集市文件")
    report.add_argument("--out", help="输出目录（默认 reports/_output）")
    report.add_argument("--period", help="统计期，如 2012-12（默认最新）")

    sample = sub.add_parser("sample", help="生成模拟数据 / generate synthetic bureau files")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--seed", type=int, default=2012)
    sample.add_argument("--enterprises", type=int)
    sample.add_argument("--years", default="2010,2011,2012", help="逗号分隔，如 2010,2011,2012")
    sample.add_argument("--formats", choices=["auto", "mixed", "csv"], default="auto",
                        help="auto：小样本混合格式（GBK、xlsx、千元），大样本仅 CSV")
    sample.add_argument("--no-bad-rows", action="store_true", help="不注入错误行")
    return parser


def _run(args: argparse.Namespace) -> int:
    from pipelines.run import run_pipeline
    from pipelines.settings import Settings

    settings = Settings.from_env(args.raw_dir, args.marts, args.report_dir)
    return run_pipeline(settings, with_report=not args.no_report)


def _validate(args: argparse.Namespace) -> int:
    from pipelines.settings import Settings
    from pipelines.validation.command import run_validate

    settings = Settings.from_env(args.raw_dir)
    return run_validate(list(args.files), args.out, settings.targets_dir)


def _report(args: argparse.Namespace) -> int:
    from pipelines.report import render_report
    from pipelines.settings import Settings

    settings = Settings.from_env(marts_db=args.marts, report_dir=args.out)
    outputs = render_report(settings.marts_db, settings.report_dir, args.period)
    for kind, path in outputs.items():
        print(f"报告已生成 / report written ({kind}): {path}")
    return 0


def _sample(args: argparse.Namespace) -> int:
    from pipelines.sample import generate_sample

    options = {"seed": args.seed, "years": tuple(int(y) for y in args.years.split(",")),
               "bad_rows": not args.no_bad_rows, "formats": args.formats}
    if args.enterprises:
        options["enterprises"] = args.enterprises
    files = generate_sample(args.out, **options)
    print(f"已生成 {len(files)} 个模拟数据文件 / wrote {len(files)} synthetic files to {args.out}")
    return 0


COMMANDS = {"run": _run, "validate": _validate, "report": _report, "sample": _sample}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
