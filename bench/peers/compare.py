#!/usr/bin/env python3
"""Peer comparison: lambdaform against the tools people use for the same job, on this machine,
in the same run, reported as ratios (peer time / lambdaform time at the same N).

  SAM translator   aws-sam-translator turns the equivalent AWS::Serverless::Function template
                   (AutoPublishAlias: live) into CloudFormation (peers/sam_translate.py): whole
                   process, and the in-process transform alone
  cfn-lint         validates the template lambdaform rendered: the validation peer, compared
                   with `lambdaform validate` (and with `lambdaform render`)
  AWS CDK          `node peers/cdk_app.js N`: synth of the equivalent stack with aws-cdk-lib as
                   shipped; needs `npm install aws-cdk-lib constructs` in bench/peers/node_modules
                   (git-ignored; --install-cdk does it, nothing from npm is committed)
  troposphere      peers/troposphere_stack.py, when the troposphere package is installed;
                   otherwise skipped with a note

Standalone (bench/run.py calls it too):
  python3 bench/peers/compare.py [--sizes 1,25,125] [--lambdaform PATH] [--install-cdk|--no-cdk]
"""
import argparse
import collections
import importlib.util
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path.insert(0, BENCH)

import harness  # noqa: E402
from harness import fmt_kb, fmt_ratio, fmt_s, log  # noqa: E402

CDK_MODULES = os.path.join(HERE, "node_modules")


def cdk_installed():
    return os.path.isfile(os.path.join(CDK_MODULES, "aws-cdk-lib", "package.json")) and \
        os.path.isdir(os.path.join(CDK_MODULES, "constructs"))


def install_cdk():
    npm = shutil.which("npm")
    if not npm:
        raise SystemExit("--install-cdk: npm is not installed (apt-get install npm)")
    log(f"installing aws-cdk-lib and constructs into {CDK_MODULES} (git-ignored)")
    subprocess.run([npm, "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
                    "aws-cdk-lib", "constructs"], cwd=HERE, check=True)


def versions():
    v = {"python": sys.version.split()[0]}
    try:
        import samtranslator
        v["aws-sam-translator"] = samtranslator.__version__
    except ImportError:
        v["aws-sam-translator"] = None
    lint = shutil.which("cfn-lint")
    if lint:
        out = subprocess.run([lint, "--version"], capture_output=True, text=True).stdout.strip()
        v["cfn-lint"] = out.replace("cfn-lint", "").strip() or None
    else:
        v["cfn-lint"] = None
    node = shutil.which("node")
    v["node"] = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip() if node else None
    if cdk_installed():
        with open(os.path.join(CDK_MODULES, "aws-cdk-lib", "package.json")) as f:
            v["aws-cdk-lib"] = json.load(f)["version"]
    else:
        v["aws-cdk-lib"] = None
    if importlib.util.find_spec("troposphere"):
        import troposphere
        v["troposphere"] = getattr(troposphere, "__version__", "?")
    else:
        v["troposphere"] = None
    return v


def resource_types(path):
    """Counts resources by type in a YAML or JSON template (an equivalence check)."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    def any_tag(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    Loader.add_multi_constructor("!", any_tag)
    with open(path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=Loader)
    c = collections.Counter(r.get("Type") for r in (doc.get("Resources") or {}).values())
    return dict(sorted(c.items()))


def lambdaform_figures(lf, workload, results, sizes, runs):
    """`lambdaform render -o` and `lambdaform validate` for each N (the peers' denominators)."""
    out = {}
    os.makedirs(os.path.join(results, "render"), exist_ok=True)
    for n in sizes:
        spec = os.path.join(workload, "single", f"n{n}", "stack.yaml")
        target = os.path.join(results, "render", f"n{n}.yaml")
        out[n] = {
            "render": harness.measure(f"lambdaform render N={n}", [lf, "render", spec, "-o", target], runs=runs),
            "validate": harness.measure(f"lambdaform validate N={n}", [lf, "validate", spec], runs=runs),
            "template": target,
        }
    return out


def run(lf, workload, results, sizes, ours, use_cdk=True, sam_inprocess_runs=5, quick=False):
    """Measures the peers for each N. `ours[n]` holds lambdaform's render/validate figures and the
    path of the rendered template (from lambdaform_figures or bench/run.py)."""
    peers_dir = os.path.join(results, "peers")
    os.makedirs(peers_dir, exist_ok=True)
    slow_runs = 2 if quick else 3
    rows = []  # one per (peer, N)
    notes = []

    have_sam = importlib.util.find_spec("samtranslator") is not None
    lint = shutil.which("cfn-lint")
    node = shutil.which("node")
    have_tropo = importlib.util.find_spec("troposphere") is not None
    cdk_ok = use_cdk and node and cdk_installed()
    if not have_sam:
        notes.append("SAM translator: skipped, aws-sam-translator is not installed (pip install aws-sam-translator).")
    if not lint:
        notes.append("cfn-lint: skipped, not installed (pip install cfn-lint).")
    if not use_cdk:
        notes.append("AWS CDK: skipped (--no-cdk).")
    elif not node:
        notes.append("AWS CDK: skipped, node is not installed.")
    elif not cdk_installed():
        notes.append("AWS CDK: skipped, aws-cdk-lib is not installed in bench/peers/node_modules "
                     "(run `python3 bench/run.py --install-cdk`).")
    if not have_tropo:
        notes.append("troposphere: skipped, the troposphere package is not installed on this machine "
                     "(`pip install troposphere` and rerun to include it).")

    for n in sizes:
        mine = ours[n]
        render_s = mine["render"]["median_s"]
        if have_sam:
            sam_in = os.path.join(workload, "sam", f"n{n}.yaml")
            sam_out = os.path.join(peers_dir, f"sam-n{n}.yaml")
            r = harness.measure(f"SAM translator N={n}",
                                [sys.executable, os.path.join(HERE, "sam_translate.py"), sam_in, sam_out],
                                runs=3 if quick else 5, rss_runs=1)
            r.update(peer="SAM translator", n=n, vs="render", ratio=r["median_s"] / render_s,
                     resources=resource_types(sam_out))
            # The transform alone, in-process (imports and interpreter start excluded).
            p = subprocess.run([sys.executable, os.path.join(HERE, "sam_translate.py"), sam_in, sam_out,
                                "--repeat", str(sam_inprocess_runs)], capture_output=True, text=True, check=True)
            line = [x for x in p.stdout.splitlines() if x.startswith("{")][-1]
            r["inprocess_s"] = json.loads(line)["median_s"]
            rows.append(r)
        if lint:
            r = harness.measure(f"cfn-lint N={n}", [lint, "--", mine["template"]], runs=slow_runs,
                                rss_runs=1, ok_codes=(0, 2, 4, 6, 8, 10, 12, 14))
            r.update(peer="cfn-lint (validates our template)", n=n, vs="validate",
                     ratio=r["median_s"] / mine["validate"]["median_s"], ratio_render=r["median_s"] / render_s)
            rows.append(r)
        if cdk_ok:
            outdir = os.path.join(peers_dir, f"cdk-n{n}")
            shutil.rmtree(outdir, ignore_errors=True)
            r = harness.measure(f"CDK synth N={n}", [node, os.path.join(HERE, "cdk_app.js"), str(n), outdir],
                                runs=slow_runs, rss_runs=1)
            r.update(peer="AWS CDK synth", n=n, vs="render", ratio=r["median_s"] / render_s,
                     resources=resource_types(os.path.join(outdir, f"bench-n{n}.template.json")))
            rows.append(r)
        if have_tropo:
            out = os.path.join(peers_dir, f"troposphere-n{n}.yaml")
            r = harness.measure(f"troposphere N={n}",
                                [sys.executable, os.path.join(HERE, "troposphere_stack.py"), str(n), out],
                                runs=3 if quick else 5, rss_runs=1)
            r.update(peer="troposphere", n=n, vs="render", ratio=r["median_s"] / render_s,
                     resources=resource_types(out))
            rows.append(r)
    return {"rows": rows, "notes": notes, "versions": versions()}


def table(peers, ours):
    lines = ["| peer | N | peer median | peer peak RSS | lambdaform median | ratio (peer ÷ lambdaform) | CPU-time ratio |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in peers["rows"]:
        mine = ours[r["n"]][r["vs"]]
        label = "render -o" if r["vs"] == "render" else "validate"
        extra = f" (÷ render: {fmt_ratio(r['ratio_render'])})" if "ratio_render" in r else ""
        cpu_ratio = (r["user_s"] + r["sys_s"]) / (mine["user_s"] + mine["sys_s"])
        lines.append(f"| {r['peer']} | {r['n']} | {fmt_s(r['median_s'])} | {fmt_kb(r['rss_kb'])} | "
                     f"{fmt_s(mine['median_s'])} ({label}) | **{fmt_ratio(r['ratio'])}**{extra} | {fmt_ratio(cpu_ratio)} |")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lambdaform", help="the lambdaform CLI (default: bench/out/build/lambdaform/cli/lambdaform)")
    ap.add_argument("--workload", default=os.path.join(BENCH, "out", "workload"))
    ap.add_argument("--results", default=os.path.join(BENCH, "out", "results"))
    ap.add_argument("--sizes", default="1,25,125")
    ap.add_argument("--runs", type=int, default=20, help="runs of each lambdaform command")
    ap.add_argument("--install-cdk", action="store_true", help="npm install aws-cdk-lib constructs first")
    ap.add_argument("--no-cdk", action="store_true")
    args = ap.parse_args(argv)
    lf = args.lambdaform or os.path.join(BENCH, "out", "build", "lambdaform", "cli", "lambdaform")
    if not os.access(lf, os.X_OK):
        raise SystemExit(f"no lambdaform CLI at {lf}: build it (python3 bench/run.py) or pass --lambdaform")
    sizes = [int(x) for x in args.sizes.split(",") if x]
    if not os.path.isdir(os.path.join(args.workload, "single")):
        subprocess.run([sys.executable, os.path.join(BENCH, "gen_workload.py"), "--out", args.workload,
                        "--role-style", "auto", "--lambdaform", lf], check=True)
    if args.install_cdk and not cdk_installed():
        install_cdk()
    ours = lambdaform_figures(lf, args.workload, args.results, sizes, args.runs)
    peers = run(lf, args.workload, args.results, sizes, ours, use_cdk=not args.no_cdk)
    print(table(peers, ours))
    for note in peers["notes"]:
        print(f"- {note}")
    print(json.dumps(peers["versions"]))


if __name__ == "__main__":
    main()
