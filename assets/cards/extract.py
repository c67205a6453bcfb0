#!/usr/bin/env python3
"""Extracts the picture cards from the Fluent Emoji sets (MIT) as standalone SVG files.

Run once by hand when the set of cards changes (not at build or test time):
    npm pack @iconify-json/fluent-emoji-high-contrast@1.2.6 @iconify-json/fluent-emoji-flat@1.2.6
    for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    python3 extract.py iconify-json-fluent-emoji-high-contrast-1.2.6 iconify-json-fluent-emoji-flat-1.2.6
"""
import json
import sys
from pathlib import Path

# Card id (a contract with stored plans, see src/domain.rs CARDS) -> Fluent Emoji icon name.
CARDS = {
    "health": "stethoscope",
    "pain": "face-with-head-bandage",
    "medication": "pill",
    "sleep": "bed",
    "food": "fork-and-knife-with-plate",
    "moving": "person-walking",
    "home": "house",
    "money": "money-bag",
    "paperwork": "page-facing-up",
    "family": "people-hugging",
    "friends": "busts-in-silhouette",
    "loneliness": "bust-in-silhouette",
    "mood": "pensive-face",
    "memory": "brain",
    "leisure": "artist-palette",
    "transport": "bus",
    "safety": "shield",
    "help-at-home": "broom",
    "carer": "handshake",
    "language": "speaking-head",
    "hygiene": "shower",
    "breathing": "lungs",
    "hearing": "ear",
    "sight": "eye",
    "work": "briefcase",
    "pet": "dog",
    "faith": "folded-hands",
    "shopping": "shopping-cart",
}


def extract(package: Path, out: Path, color: str | None) -> None:
    icons = json.loads((package / "package" / "icons.json").read_text())
    size = icons.get("width", 32)
    out.mkdir(parents=True, exist_ok=True)
    for card, name in CARDS.items():
        body = icons["icons"][name]["body"]
        attrs = f' color="{color}"' if color else ""
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
            f'width="{size}" height="{size}"{attrs}>{body}</svg>\n'
        )
        (out / f"{card}.svg").write_text(svg)


if __name__ == "__main__":
    here = Path(__file__).parent
    extract(Path(sys.argv[1]), here / "print", "#000000")
    extract(Path(sys.argv[2]), here / "color", None)
