"""The .ics file of a volunteer's duties, read by a real iCalendar parser (Python's
`icalendar`), must hold exactly that volunteer's shifts of the bundle: same times (as UTC
instants), titles and places. Usage: python3 tests/ics_check.py PATH/TO/gridledger"""
import collections, datetime, json, os, subprocess, sys, tempfile

import icalendar

tool = os.path.abspath(sys.argv[1])
WEEK = 7 * 24 * 3600 * 1000

with tempfile.TemporaryDirectory() as tmp:
    def run(*args):
        subprocess.run([tool, *args], check=True, capture_output=True, cwd=tmp)
    run("sample", "--seed", "3", "--households", "120", "-o", "c.json")
    b = json.load(open(os.path.join(tmp, "c.json"), encoding="utf-8"))
    t = b["tables"]
    names = collections.Counter(v["name"] for v in t["volunteers"])
    shifts = {s["id"]: s for s in t["shifts"]}
    by_vol = collections.defaultdict(list)
    for p in t["shift_people"]:
        if p["volunteer_id"] and not p["deleted"]:
            by_vol[p["volunteer_id"]].append(shifts[p["shift_id"]])
    vol = max((v for v in t["volunteers"] if names[v["name"]] == 1), key=lambda v: len(by_vol[v["id"]]))
    mine = by_vol[vol["id"]]
    start = min(s["start_at"] for s in mine)
    want = sorted((s for s in mine if start <= s["start_at"] < start + 8 * WEEK), key=lambda s: s["start_at"])
    assert len(want) >= 2, f"{vol['name']} has {len(want)} shifts"
    run("duty", "c.json", "--person", vol["name"], "--from", str(start), "-o", "duty.ics")
    raw = open(os.path.join(tmp, "duty.ics"), "rb").read()
    cal = icalendar.Calendar.from_ical(raw)
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert len(events) == len(want), f"{len(events)} events, {len(want)} shifts"
    utc = datetime.timezone.utc
    for e, s in zip(events, want):
        assert e.decoded("DTSTART") == datetime.datetime.fromtimestamp(s["start_at"] / 1000, utc), (e, s)
        assert e.decoded("DTEND") == datetime.datetime.fromtimestamp(s["end_at"] / 1000, utc), (e, s)
        assert str(e.get("SUMMARY")) == s["title"], (str(e.get("SUMMARY")), s["title"])
        assert s["place"] in str(e.get("LOCATION")), (str(e.get("LOCATION")), s["place"])
        assert str(e.get("UID")) == s["id"] + "@gridledger"
    assert b"\r\n" in raw and all(len(l) <= 75 for l in raw.split(b"\r\n"))
    print(f"ok   {len(events)} duties of {vol['name']} read back by icalendar {icalendar.__version__}")
