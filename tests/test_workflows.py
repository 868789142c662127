"""The files that take contributions: GitHub workflows, the issue form, the pull-request template
and the pre-commit hooks, parsed and checked (and the hooks run through pre-commit itself)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.content.links import LINK_KINDS
from generator.content.models import field_order
from generator.content.taxonomy import load_taxonomy

from conftest import GOOD, ROOT, write_content

GITHUB = ROOT / ".github"
PINNED_TO_MAJOR = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@v[0-9]+$")


def load(path: Path):
    """YAML with every scalar kept as text (so the key ``on`` stays "on", not True)."""
    return yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(job: dict, action: str) -> dict:
    found = [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"expected one step using {action}"
    return found[0]


def runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in steps(job))


def all_workflows() -> list[Path]:
    return sorted((GITHUB / "workflows").glob("*.y*ml"))


@pytest.mark.parametrize("path", all_workflows(), ids=lambda p: p.name)
def test_every_workflow_is_read_only_by_default_and_safe(path):
    workflow = load(path)
    assert "pull_request_target" not in workflow["on"]
    assert "workflow_run" not in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        assert job.get("timeout-minutes"), f"{name} has no timeout"
        for step in steps(job):
            if "uses" in step:
                assert PINNED_TO_MAJOR.match(step["uses"]), step["uses"]
            # Expressions are passed through env, never pasted into a script.
            assert "${{" not in step.get("run", ""), step["run"]
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] == "false"


def test_ci_checks_records_tests_and_build_of_every_pull_request():
    workflow = load(GITHUB / "workflows" / "ci.yml")
    assert set(workflow["on"]) == {"pull_request", "push"}
    jobs = workflow["jobs"]
    assert all("permissions" not in job for job in jobs.values())

    records = jobs["records"]
    assert uses(records, "actions/checkout")["with"]["fetch-depth"] == "0"
    changed = next(s for s in steps(records) if "--changed-since" in s.get("run", ""))
    assert changed["if"] == "github.event_name == 'pull_request'"
    assert changed["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert changed["run"] == 'atlas validate --changed-since "origin/$BASE_REF"'
    script = runs(records).splitlines()
    assert "atlas validate" in script and "atlas fmt --check" in script
    assert "python -m pip install -e ." in script

    test = jobs["test"]
    script = runs(test)
    assert "apt-get install" in script and "chromium" in script
    assert "python -m pip install -e '.[test]'" in script
    assert "python -m pytest" in script
    assert "atlas build --strict --site-dir site" in script
    artifact = uses(test, "actions/upload-artifact")
    assert artifact["with"]["path"] == "site/"
    assert artifact["with"]["if-no-files-found"] == "error"


def test_deploy_publishes_main_only_after_a_successful_build():
    workflow = load(GITHUB / "workflows" / "deploy.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert "pull_request" not in workflow["on"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build
    assert "atlas build --strict --site-dir site" in runs(build)
    assert runs(build).index("atlas validate") < runs(build).index("atlas build")
    uses(build, "actions/configure-pages")
    assert uses(build, "actions/upload-pages-artifact")["with"]["path"] == "site/"
    assert deploy["needs"] == "build"
    assert "if" not in deploy
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy, "actions/deploy-pages")["id"] == "deployment"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"


FORM_KEYS = {"name", "description", "title", "labels", "assignees", "projects", "type", "body"}
ELEMENT_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def test_issue_form_is_a_well_formed_github_form():
    form = load(GITHUB / "ISSUE_TEMPLATE" / "add-paper.yml")
    assert set(form) <= FORM_KEYS
    assert form["name"] and form["description"] and form["body"]
    ids, labels = [], []
    for element in form["body"]:
        assert set(element) <= {"type", "id", "attributes", "validations"}, element
        assert element["type"] in ELEMENT_TYPES
        attributes = element["attributes"]
        if element["type"] == "markdown":
            assert attributes["value"].strip()
            continue
        ids.append(element["id"])
        labels.append(attributes["label"])
        assert re.fullmatch(r"[A-Za-z0-9_-]+", element["id"])
        assert element.get("validations", {}).get("required", "false") in ("true", "false")
        if element["type"] in ("dropdown", "checkboxes"):
            options = attributes["options"]
            assert options and len(options) == len({str(o) for o in options})
    assert len(ids) == len(set(ids)) and len(labels) == len(set(labels))


def test_issue_form_fields_mirror_the_record():
    form = load(GITHUB / "ISSUE_TEMPLATE" / "add-paper.yml")
    elements = {e["id"]: e for e in form["body"] if "id" in e}
    for field in ("title", "type", "abstract", "summary", "method", "task", "tags", "year", "authors", "venue"):
        assert field in elements, field
    assert elements["title"]["validations"]["required"] == "true"
    assert elements["type"]["validations"]["required"] == "true"
    record_fields = set(field_order())
    for element_id in elements:
        assert element_id in record_fields or element_id.startswith("link") or element_id == "checks", element_id

    types = load_taxonomy(ROOT / "content").types
    options = elements["type"]["attributes"]["options"]
    assert [option.split(":")[0] for option in options] == list(types)

    other = elements["links-other"]["attributes"]["description"]
    for kind in LINK_KINDS:
        assert f"link-{kind}" in elements or kind in other, kind


def test_pull_request_template_is_a_checklist():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text("utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(items) >= 4
    for command in ("atlas validate", "atlas fmt --check", "not_duplicates", "aliases"):
        assert command in text


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=300)


def test_pre_commit_files_are_valid(tmp_path):
    assert pre_commit("validate-config", ".pre-commit-config.yaml", cwd=ROOT, home=tmp_path).returncode == 0
    assert pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=ROOT, home=tmp_path).returncode == 0
    hooks = {h["id"]: h for h in load(ROOT / ".pre-commit-hooks.yaml")}
    assert set(hooks) == {"atlas-validate", "atlas-fmt"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["pass_filenames"] == "true"
        files = re.compile(hook["files"])
        assert files.search("content/papers/dpo.yaml")
        assert not files.search("content/taxonomy.yaml") and not files.search("content/papers/a/b.yaml")
    assert hooks["atlas-validate"]["entry"] == "atlas validate"
    assert hooks["atlas-fmt"]["entry"] == "atlas fmt --check"

    local = load(ROOT / ".pre-commit-config.yaml")["repos"][0]
    assert local["repo"] == "local"
    assert {h["id"]: h["files"] for h in local["hooks"]} == {
        "atlas-validate": r"^content/papers/.*\.yaml$",
        "atlas-fmt": r"^content/papers/.*\.yaml$",
        "atlas-validate-all": r"^content/taxonomy\.yaml$",
    }


def test_local_hooks_check_the_records_a_commit_touches(tmp_path):
    repo = tmp_path / "repo"
    write_content(repo / "content", {"dpo.yaml": GOOD, "bad.yaml": "title: A\ntype: adjacent\nyear: twenty\n"})
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    installed = Path(sys.executable).parent / "atlas"
    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "atlas").symlink_to(installed)
    subprocess.run([str(installed), "fmt", "content/papers/dpo.yaml"], cwd=repo, capture_output=True, check=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)

    good = pre_commit("run", "--files", "content/papers/dpo.yaml", cwd=repo, home=tmp_path / "home")
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"atlas validate \(records\)\.+Passed", good.stdout)
    assert re.search(r"atlas fmt --check \(records\)\.+Passed", good.stdout)

    bad = pre_commit("run", "--files", "content/papers/bad.yaml", cwd=repo, home=tmp_path / "home")
    assert bad.returncode == 1
    assert "content/papers/bad.yaml:3: year: expected an integer, got 'twenty'" in bad.stdout

    taxonomy = pre_commit("run", "--files", "content/taxonomy.yaml", cwd=repo, home=tmp_path / "home")
    assert taxonomy.returncode == 1
    assert re.search(r"atlas validate \(every record, the taxonomy changed\)\.+Failed", taxonomy.stdout)
    assert "content/papers/bad.yaml:3: year" in taxonomy.stdout
