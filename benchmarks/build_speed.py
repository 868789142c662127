"""Build-speed benchmark: our stages and ``atlas build`` against MkDocs alone, in one run.

    python benchmarks/build_speed.py --sizes 1000 5000 10000 --repeat 3

For each size it makes a synthetic corpus (benchmarks/make_corpus.py), then measures, each in its
own process so that peak memory (maximum resident set size) belongs to that step alone:

- our stages: load, validate, normalize (the canonical text of every record), dedupe check and
  render (records to pages as data);
- the whole ``atlas build`` (MkDocs with the atlas plugin, then the search index); its peak memory
  both as its largest process (Pagefind's, mostly) and as the sum of its processes at one time;
- MkDocs alone building the same pages written as plain Markdown (``atlas generate``), with the
  same ``mkdocs.yml`` minus the atlas plugin: same theme, navigation and Markdown extensions;
- a plain Material site of the same papers, one short Markdown page each (title, facts,
  abstract, tags) outside the navigation, no plugins: what a site of these papers costs at least;
- the site's size, the average size of a paper page's HTML and the largest pages;
- with ``--slices``, ``atlas build`` once more with the listings' slices switched off (the
  plugin option ``slices: false``: no papers.* and feed.xml in the folder of each type, method,
  task and tag page), taking turns with the others, for what the slices add to a build.

The machine may be shared and its speed wanders, so ``--repeat N`` runs MkDocs alone and
``atlas build`` N times each, taking turns, and keeps their medians and every pair's ratio.

Results go to BENCHMARKS.md (``--write``) and are printed. Everything is written under
benchmarks/out/ (ignored by git).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))


def timed_process(argv: list[str], cwd: Path = ROOT, tree: list[int] | None = None) -> tuple[float, float, int, str]:
    """Run a command; its wall and CPU (user + system) seconds, its peak memory in MB, and its output.

    The peak memory is the largest resident set that the process or any one of its children
    (Pagefind) reached (``ru_maxrss``). With ``tree``, the largest sum of the resident sets of
    the process and its children at one time (sampled every 50 ms, :func:`tree_memory_mb`) is
    appended to it: what the machine must have free, since the build's own process is still
    there while Pagefind runs.

    The machine may be shared, so CPU time is the steadier measure; wall time is shown too.
    """
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]
    sampler = threading.Thread(target=_sample_tree, args=(process, peak), daemon=True)
    if tree is not None:
        sampler.start()
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(argv)}\n{output[-3000:]}")
    if tree is not None:
        sampler.join()
        tree.append(peak[0])
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, output


def tree_memory_mb(pid: int) -> int:
    """The resident memory of a process and all its descendants, summed, in MB (Linux's /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total >> 20


def _sample_tree(process: subprocess.Popen, peak: list[int]) -> None:
    while process.poll() is None:
        peak[0] = max(peak[0], tree_memory_mb(process.pid))
        time.sleep(0.05)


def run_stages(content: Path) -> dict:
    """CPU seconds of each of our stages, in this process (a child process, run by ``--stages``).

    Each stage runs as the plugin runs them in a build: with the garbage collector held off,
    then one collection, counted in the stage's time.
    """
    import gc

    from generator.dedupe import matching as dedupe

    from generator.content import fmt

    from generator.content import records

    times: dict[str, float] = {}

    def stage(name, work):
        started = time.process_time()
        gc.disable()
        try:
            result = work()
            gc.collect()
        finally:
            gc.enable()
        times[name] = time.process_time() - started
        return result

    files = stage("load", lambda: records.record_files(content)[0])
    loaded = stage("load+validate", lambda: records.load_content(content))
    records.require_valid(loaded)
    stage("normalize", lambda: [fmt.format_record(path) for path in files])
    duplicates = stage("dedupe", lambda: dedupe.duplicate_problems(loaded))
    if duplicates:
        raise SystemExit(f"the corpus has {len(duplicates)} duplicate(s): {duplicates[0]}")
    try:
        from generator.site.build import site_info
        from generator.site.pages import Renderer, render_site
        from generator.site.settings import Settings
    except ImportError:
        render_site = None
    if render_site is not None:
        settings = Settings(content=str(content), templates=str(ROOT / "site_templates"))
        stage("render", lambda: render_site(loaded, Renderer(settings.templates_dir, site_info(settings))))
    del times["load"]
    return times


def mkdocs_alone_config(docs: Path, site: Path) -> Path:
    """A copy of mkdocs.yml without the atlas plugin, building ``docs`` into ``site``."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(site)
    plugins = config.get("plugins", [])
    config["plugins"] = [p for p in plugins if not (isinstance(p, dict) and "atlas" in p) and p != "atlas"]
    if "theme" in config and config["theme"].get("custom_dir"):
        config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    path = docs.parent / "mkdocs-alone.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return path


def no_slices_config(work: Path) -> Path:
    """A copy of mkdocs.yml, its paths made absolute, with the atlas plugin's ``slices: false``."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))
    if "theme" in config and config["theme"].get("custom_dir"):
        config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "atlas" in plugin:
            options = plugin["atlas"] = dict(plugin["atlas"] or {})
            options["templates"] = str(ROOT / options.get("templates", "site_templates"))
            options["slices"] = False
    path = work / "mkdocs-no-slices.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return path


def plain_pages(content: Path, docs: Path) -> None:
    """The same pages as plain Markdown files: ``atlas generate`` plus the hand-written docs."""
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(ROOT / "docs", docs)
    subprocess.run([str(BIN / "atlas"), "generate", "--content", str(content), "--out", str(docs)],
                   cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def plain_material_site(content: Path, work: Path, site: Path) -> Path:
    """A plain Material site of the papers of ``content``: one short page each, an index page,
    no plugins, the papers outside the navigation as in the atlas; returns its mkdocs.yml."""
    import yaml

    from generator.content.records import load_content
    from plain_markdown import markdown_text

    docs = work / "material-docs"
    if docs.exists():
        shutil.rmtree(docs)
    (docs / "papers").mkdir(parents=True)
    loaded = load_content(content)
    for paper in loaded.papers:
        facts = [("Type", paper.type), ("Year", paper.year), ("Authors", ", ".join(paper.authors or [])),
                 ("Venue", paper.venue), ("Method", paper.method), ("Task", paper.task)]
        lines = [f"# {markdown_text(paper.title)}", ""]
        lines += [f"- **{name}:** {markdown_text(str(value))}" for name, value in facts if value]
        lines += ["", "## Abstract", "", markdown_text(paper.abstract or ""), ""]
        if paper.tags:
            lines += ["Tags: " + ", ".join(markdown_text(tag) for tag in paper.tags), ""]
        (docs / "papers" / f"{paper.id}.md").write_text("\n".join(lines), "utf-8")
    (docs / "index.md").write_text(f"# Papers\n\n{len(loaded.papers)} papers.\n", "utf-8")
    config = {"site_name": "Plain papers", "docs_dir": str(docs), "site_dir": str(site),
              "theme": {"name": "material", "font": False}, "plugins": [], "nav": ["index.md"],
              "markdown_extensions": ["attr_list", "toc"], "validation": {"nav": {"omitted_files": "info"}}}
    path = work / "mkdocs-material.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return path


def folder_size(folder: Path) -> int:
    """Total bytes of the files under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def paper_page_size(site: Path) -> float:
    """Average bytes of HTML of a paper page."""
    sizes = [p.stat().st_size for p in (site / "papers").glob("*/index.html")]
    return sum(sizes) / len(sizes) if sizes else 0.0


def largest_pages(site: Path, count: int = 5) -> list[tuple[float, str]]:
    """The ``count`` largest HTML pages of a site (KB, path), largest first."""
    sizes = ((p.stat().st_size / 1e3, p.relative_to(site).as_posix()) for p in site.rglob("*.html"))
    return sorted(sizes, reverse=True)[:count]


def measure(size: int, seed: int, repeat: int = 1, slices: bool = False) -> dict:
    """Every figure for one corpus size; MkDocs alone and ``atlas build`` (and with ``slices``,
    ``atlas build`` without the listings' slices) run ``repeat`` times, taking turns, and their
    median CPU seconds are kept (with every pair's ratio)."""
    work = OUT / f"speed-{size}"
    work.mkdir(parents=True, exist_ok=True)
    content = OUT / f"corpus-{size}"
    if not (content / "papers").is_dir() or len(list((content / "papers").glob("*.yaml"))) != size:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), "--count", str(size),
                        "--seed", str(seed), "--out", str(content)], check=True, stdout=subprocess.DEVNULL)
    row: dict = {"papers": size}

    _wall, _cpu, memory, output = timed_process([sys.executable, __file__, "--stages", str(content)])
    row["stages"] = json.loads(output.strip().splitlines()[-1])
    row["stages_memory_mb"] = memory

    docs = work / "plain-docs"
    plain_pages(content, docs)
    alone_site = work / "site-mkdocs-alone"
    site = work / "site"
    alone, ours, without, trees = [], [], [], []
    for _ in range(repeat):
        alone.append(timed_process(
            [str(BIN / "mkdocs"), "build", "--quiet", "-f", str(mkdocs_alone_config(docs, alone_site))]))
        if slices:
            without.append(timed_process([str(BIN / "atlas"), "build", "--content", str(content), "--site-dir",
                                          str(work / "site-no-slices"), "--config-file", str(no_slices_config(work))]))
        ours.append(timed_process([str(BIN / "atlas"), "build", "--content", str(content), "--site-dir", str(site)],
                                  tree=trees))
    if slices:
        row["no_slices_wall_s"] = statistics.median(run[0] for run in without)
        row["no_slices_s"] = statistics.median(run[1] for run in without)
        row["slices_ratios"] = [b[1] / a[1] for a, b in zip(without, ours)]
        row["slice_files"] = len(list(site.glob("*/*/papers.json"))) * 4
    for key, runs in (("mkdocs", alone), ("build", ours)):
        row[f"{key}_wall_s"] = statistics.median(run[0] for run in runs)
        row[f"{key}_s"] = statistics.median(run[1] for run in runs)
    row["mkdocs_memory_mb"], row["build_memory_mb"] = max(r[2] for r in alone), max(r[2] for r in ours)
    row["build_tree_memory_mb"] = max(trees)
    row["ratios"] = [b[1] / a[1] for a, b in zip(alone, ours)]
    material = timed_process([str(BIN / "mkdocs"), "build", "--quiet", "-f",
                              str(plain_material_site(content, work, work / "site-material"))])
    row["material_wall_s"], row["material_s"], row["material_memory_mb"] = material[:3]
    row["search_s"] = _reported_search_seconds(ours[-1][3])
    row["site_mb"] = folder_size(site) / 1e6
    row["mkdocs_site_mb"] = folder_size(alone_site) / 1e6
    row["paper_kb"] = paper_page_size(site) / 1e3
    row["mkdocs_paper_kb"] = paper_page_size(alone_site) / 1e3
    row["largest_pages_kb"] = largest_pages(site)
    row["html_pages"] = sum(1 for _ in site.rglob("*.html"))
    return row


def _reported_search_seconds(output: str) -> float | None:
    for line in output.splitlines():
        if line.startswith("search index:") and " in " in line:
            return float(line.rsplit(" in ", 1)[1].split()[0])
    return None


def table(rows: list[dict]) -> str:
    """The results as a Markdown table."""
    head = ("| papers | load+validate | normalize | dedupe | render | our stages / build | atlas build "
            "| MkDocs alone | ratio | plain Material | ratio to it | search index (wall) "
            "| peak memory build (whole tree) / MkDocs | site | paper page |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        s = r["stages"]
        ours = s.get("load+validate", 0) + s.get("dedupe", 0) + s.get("render", 0)
        search = f"{r['search_s']:.1f} s" if r.get("search_s") is not None else "-"
        lines.append(
            f"| {r['papers']:,} | {s.get('load+validate', 0):.1f} s | {s.get('normalize', 0):.1f} s "
            f"| {_seconds(s.get('dedupe'))} | {_seconds(s.get('render'))} | {100 * ours / r['build_s']:.0f} % "
            f"| {r['build_s']:.1f} s | {r['mkdocs_s']:.1f} s | {_ratio(r)} | {_seconds(r.get('material_s'))} "
            f"| {_over(r['build_s'], r.get('material_s'))} | {search} "
            f"| {r['build_memory_mb']} ({r.get('build_tree_memory_mb', '-')}) / {r['mkdocs_memory_mb']} MB "
            f"| {r['site_mb']:.0f} MB "
            f"| {r['paper_kb']:.1f} KB |")
    return "\n".join(lines)


def _ratio(row: dict) -> str:
    """Median build over median MkDocs alone; with repeats, the lowest and highest pair's ratio."""
    text = f"{row['build_s'] / row['mkdocs_s']:.2f}"
    ratios = row.get("ratios", [])
    if len(ratios) > 1:
        text += f" ({min(ratios):.2f}-{max(ratios):.2f})"
    return text


def _over(ours: float, reference: float | None) -> str:
    return "-" if not reference else f"{ours / reference:.2f}"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="corpus sizes (default: 1000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of MkDocs alone and atlas build, taking turns; medians are kept (default: 1)")
    parser.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    parser.add_argument("--slices", action="store_true",
                        help="also build without the listings' slices (slices: false), taking turns, and report "
                             "the build with them over the build without")
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages:
        print(json.dumps(run_stages(args.stages)))
        return 0
    rows = []
    for size in args.sizes:
        rows.append(measure(size, args.seed, args.repeat, args.slices))
        print(json.dumps(rows[-1]), flush=True)
    result = table(rows)
    print(result)
    for row in rows:
        if "no_slices_s" in row:
            print(f"slices at {row['papers']:,} papers ({row['slice_files']:,} files): build {row['build_s']:.1f} s CPU "
                  f"with, {row['no_slices_s']:.1f} s without: {row['build_s'] / row['no_slices_s']:.3f} "
                  f"(pairs: {', '.join(f'{r:.3f}' for r in row['slices_ratios'])}); wall "
                  f"{row['build_wall_s']:.1f} s / {row['no_slices_wall_s']:.1f} s")
    (OUT / "build_speed.json").write_text(json.dumps(rows, indent=1), "utf-8")
    if args.write:
        write_section(ROOT / "BENCHMARKS.md", "build-speed", result)
    return 0


def write_section(document: Path, name: str, text: str) -> None:
    """Replace the text between ``<!-- name -->`` and ``<!-- /name -->`` in a Markdown file."""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    old = document.read_text("utf-8")
    before, rest = old.split(start, 1)
    after = rest.split(end, 1)[1]
    document.write_text(f"{before}{start}\n{text}\n{end}{after}", "utf-8")


if __name__ == "__main__":
    sys.exit(main())
