"""The bundle JSON Schema (assets/bundle.schema.json) checked with a validator that is not
ours (Python's jsonschema): every bundle the tool writes validates; the structurally bad files
of the corpus are rejected. Usage: python3 tests/schema_check.py PATH/TO/gridledger"""
import json, os, subprocess, sys, tempfile

import jsonschema

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tool = os.path.abspath(sys.argv[1])
schema = json.load(open(os.path.join(root, "assets/bundle.schema.json"), encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = []

with tempfile.TemporaryDirectory() as tmp:
    def run(*args):
        subprocess.run([tool, *args], check=True, capture_output=True, cwd=tmp)
    run("sample", "--seed", "2", "--households", "40", "-o", "community.json")
    run("sample", "--communities", "3", "--seed", "4", "--households", "20", "-o", "street.json")
    run("merge", "community.json", "street.json", "-o", "merged.json")
    # A grid worker's field bundle (scope.field, masked residents): the first grid worker.
    community = json.load(open(os.path.join(tmp, "community.json"), encoding="utf-8"))
    workers = {l["staff_id"] for l in community["tables"]["grid_staff"] if l["duty"] == "worker"}
    worker = next(s["name"] for s in community["tables"]["staff"]
                  if s["id"] in workers and s["role"].endswith("time_worker"))
    run("field", "community.json", "--person", worker, "-o", "field.json")
    field = json.load(open(os.path.join(tmp, "field.json"), encoding="utf-8"))
    assert field["scope"]["field"]["staff_name"] == worker, field["scope"]
    assert field["masked"]["residents"] == ["id_number", "phone"], field["masked"]
    for name in ["community.json", "street.json", "merged.json", "field.json"]:
        errors = list(validator.iter_errors(json.load(open(os.path.join(tmp, name), encoding="utf-8"))))
        if errors:
            failures.append(f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}")
        else:
            print(f"ok   {name} validates")

corpus = os.path.join(root, "tests/fixtures/bad-bundles")
expected = json.load(open(os.path.join(corpus, "expected.json"), encoding="utf-8"))
for name, want in sorted(expected.items()):
    try:
        doc = json.load(open(os.path.join(corpus, name), encoding="utf-8"))
        rejected = not validator.is_valid(doc)
    except ValueError:
        rejected = True  # not JSON at all
    if want["schema_rejects"] and not rejected:
        failures.append(f"{name}: the schema accepts it")
    elif want["schema_rejects"]:
        print(f"ok   {name} rejected")
good = json.load(open(os.path.join(corpus, "good.json"), encoding="utf-8"))
if not validator.is_valid(good):
    failures.append("good.json: rejected")

if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)
print("bundle schema: all checks passed")
