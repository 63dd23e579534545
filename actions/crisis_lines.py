"""Crisis lines by region (crisis_lines.yml) and working out which region applies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Pattern, Tuple

import yaml

LINES_FILE = Path(__file__).with_name("crisis_lines.yml")


@dataclass(frozen=True)
class Region:
    """One region's crisis lines."""

    code: str
    name: str
    lines: Tuple[str, ...]
    emergency: str
    source: str
    checked: str


class CrisisLines:
    """Looks up the lines for a region named in text or given as a browser locale."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.regions: Dict[str, Region] = {}
        self._locale_regions: Dict[str, str] = {}
        patterns: List[Tuple[int, str, Pattern[str]]] = []
        for code, body in spec["regions"].items():
            self.regions[code] = Region(
                code=code,
                name=body["name"],
                lines=tuple(body["lines"]),
                emergency=str(body["emergency"]),
                source=body["source"],
                checked=str(body["checked"]),
            )
            for locale_region in body.get("locale_regions", []):
                self._locale_regions[locale_region.upper()] = code
            for alias in body.get("aliases", []):
                patterns.append((len(alias), code, _alias_pattern(alias, ignore_case=True)))
            for alias in body.get("case_sensitive_aliases", []):
                patterns.append((len(alias), code, _alias_pattern(alias, ignore_case=False)))
        # Longest alias first: "british columbia" is Canada, "northern ireland" the UK.
        self._aliases = [(code, pattern) for _, code, pattern in sorted(patterns, key=lambda p: -p[0])]
        self.wording: Dict[str, Any] = dict(spec["wording"])
        other = spec["elsewhere"]
        self.elsewhere = Region(
            code="",
            name="",
            lines=tuple(other["lines"]),
            emergency=str(other["emergency"]),
            source=other["source"],
            checked=str(other["checked"]),
        )

    @classmethod
    def from_file(cls, path: Path = LINES_FILE) -> "CrisisLines":
        with open(path, encoding="utf-8") as handle:
            return cls(yaml.safe_load(handle))

    def region_in_text(self, text: Optional[str]) -> Optional[str]:
        """The region a message names ("I'm in London" -> "GB"), if any."""
        if not text:
            return None
        for code, pattern in self._aliases:
            if pattern.search(text):
                return code
        return None

    def region_from_locale(self, locale: Optional[str]) -> Optional[str]:
        """The region of a BCP 47 locale such as "en-GB" or "fr_CA", if it has lines here."""
        if not locale or not isinstance(locale, str):
            return None
        parts = re.split(r"[-_]", locale.strip())
        for part in parts[1:]:
            if len(part) == 2 and part.isalpha():
                return self._locale_regions.get(part.upper())
        return None

    def all_regions(self) -> Iterable[Region]:
        return self.regions.values()


def _alias_pattern(alias: str, ignore_case: bool) -> Pattern[str]:
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(alias)}(?![A-Za-z0-9])", flags)


@lru_cache(maxsize=1)
def crisis_lines() -> CrisisLines:
    """The project's crisis lines, loaded once."""
    return CrisisLines.from_file()
