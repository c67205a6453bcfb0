"""Checks Proxi's FHIR Bundles with libraries Proxi does not use itself.

Each file given must parse as a FHIR R4B Bundle with `fhir.resources` (pydantic models of the
specification) and pass the HL7 Belgium profile rules below, written in FHIRPath (`fhirpathpy`).
Before the real files, the checker proves it can fail: a Bundle broken in each rule must be refused.
Exit 0 when every file passes; 1 with the file and the broken rule otherwise.
"""

import copy
import json
import sys

from fhir.resources.R4B.bundle import Bundle
from fhirpathpy import evaluate

BE = "https://www.ehealth.fgov.be/standards/fhir/"
PROFILES = {
    "Patient": BE + "core/StructureDefinition/be-patient",
    "Practitioner": BE + "core/StructureDefinition/be-practitioner",
    "Organization": BE + "core/StructureDefinition/be-organization",
    "CarePlan": BE + "patient-care/StructureDefinition/be-care-plan",
    "Goal": BE + "patient-care/StructureDefinition/be-goal",
    "CareTeam": BE + "patient-care/StructureDefinition/be-careteam",
}
SSIN = BE + "core/NamingSystem/ssin"

RULES = [
    ("every resource has meta.profile",
     "Bundle.entry.resource.all(meta.profile.exists())"),
    *[(f"every {kind} claims {url}",
       f"Bundle.entry.resource.ofType({kind}).all(meta.profile contains '{url}')")
      for kind, url in PROFILES.items()],
    ("one Patient", "Bundle.entry.resource.ofType(Patient).count() = 1"),
    ("one CarePlan with its subject, careTeam and goals",
     "Bundle.entry.resource.ofType(CarePlan).all(subject.exists() and careTeam.exists() and intent = 'plan')"),
    ("every identifier has a system", "Bundle.entry.resource.identifier.all(system.exists())"),
    ("an official Patient identifier is a NISS with the Belgian system and 11 digits",
     f"Bundle.entry.resource.ofType(Patient).identifier.where(use = 'official')"
     f".all(system = '{SSIN}' and value.matches('^[0-9]{{11}}$'))"),
    ("every Goal has description.text",
     "Bundle.entry.resource.ofType(Goal).all(description.text.exists() and description.text != '')"),
    ("every Goal is expressed by someone (BeGoal expressedBy 1..1)",
     "Bundle.entry.resource.ofType(Goal).all(expressedBy.exists())"),
    ("every CarePlan activity has an owner",
     "Bundle.entry.resource.ofType(CarePlan).activity.all(detail.performer.exists())"),
    ("every CareTeam participant has a coded role",
     "Bundle.entry.resource.ofType(CareTeam).participant.all(role.coding.exists())"),
    ("a Consent allows it",
     "Bundle.entry.resource.ofType(Consent).where(provision.type = 'permit').exists()"),
    ("every entry has a fullUrl", "Bundle.entry.all(fullUrl.exists())"),
]


def problems(data):
    """The broken rules of one Bundle (as JSON), empty when it passes."""
    out = []
    try:
        Bundle.model_validate(data)
    except Exception as e:  # pydantic's ValidationError and FHIR's own
        out.append(f"fhir.resources R4B refuses it: {str(e)[:600]}")
        return out
    for name, expr in RULES:
        if evaluate(data, expr) != [True]:
            out.append(f"{name} ({expr})")
    urls = set(evaluate(data, "Bundle.entry.fullUrl"))
    # Consent.provision.actor.reference is itself a Reference: its own .reference is found too.
    for ref in evaluate(data, "Bundle.entry.resource.descendants().reference"):
        if isinstance(ref, str) and ref not in urls:
            out.append(f"the reference {ref} does not resolve inside the Bundle")
    return out


def broken_copies(good):
    """A copy of a good Bundle broken in one rule each: the checker must refuse every one."""
    def entry(data, kind):
        return next(e for e in data["entry"] if e["resource"]["resourceType"] == kind)

    cases = []
    def case(name, change):
        data = copy.deepcopy(good)
        change(data)
        cases.append((name, data))

    case("no meta.profile", lambda d: entry(d, "Goal")["resource"].pop("meta"))
    case("a goal without words", lambda d: entry(d, "Goal")["resource"]["description"].pop("text"))
    case("an activity without owner",
         lambda d: entry(d, "CarePlan")["resource"]["activity"][0]["detail"].pop("performer"))
    case("a broken reference",
         lambda d: entry(d, "Goal")["resource"].update(subject={"reference": "urn:uuid:nowhere"}))
    case("a NISS with another system",
         lambda d: entry(d, "Patient")["resource"]["identifier"].append(
             {"use": "official", "system": "urn:oid:1.2.3", "value": "00000000000"}))
    case("a Goal without its required lifecycleStatus (R4B model)",
         lambda d: entry(d, "Goal")["resource"].pop("lifecycleStatus"))
    case("a wrong type (R4B model)",
         lambda d: entry(d, "CarePlan")["resource"].update(activity="not a list"))
    return cases


def main(paths):
    if not paths:
        print("usage: fhir_check.py BUNDLE.json…", file=sys.stderr)
        return 2
    bundles = [(p, json.load(open(p, encoding="utf-8"))) for p in paths]
    sample = next((d for _, d in bundles
                   if any(e["resource"]["resourceType"] == "CarePlan" and e["resource"].get("activity")
                          for e in d["entry"])), None)
    if sample is None:
        print("no Bundle with activities to break for the self-check", file=sys.stderr)
        return 1
    for name, data in broken_copies(sample):
        if not problems(data):
            print(f"the checker accepted a Bundle broken on purpose ({name})", file=sys.stderr)
            return 1
    failed = 0
    for path, data in bundles:
        for p in problems(data):
            print(f"{path}: {p}", file=sys.stderr)
            failed += 1
    print(f"{len(bundles)} Bundles checked with fhir.resources (R4B) and {len(RULES) + 1} FHIRPath rules; "
          f"{len(broken_copies(sample))} broken copies refused; {failed} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
