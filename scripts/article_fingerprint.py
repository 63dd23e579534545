"""Write the fingerprint of the source article used by the "own words" test.

The article itself is not copied into the repository. tests/fixtures/article_shingles.txt
holds a short hash of every run of six words in it, so tests/test_content.py can
check that no answer repeats the article's sentences, on any machine.

    python scripts/article_fingerprint.py [path/to/article.txt]
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import Iterable, List, Set

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLE = ROOT.parent / "shared" / "article" / "treatment-resistant-depression-and-trials.txt"
FINGERPRINT = ROOT / "tests" / "fixtures" / "article_shingles.txt"
RUN = 6


def words(text: str) -> List[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("\u2019", ""))


def shingle_hashes(tokens: Iterable[str], run: int = RUN) -> Set[str]:
    tokens = list(tokens)
    return {
        hashlib.sha1(" ".join(tokens[i : i + run]).encode("utf-8")).hexdigest()[:16]
        for i in range(len(tokens) - run + 1)
    }


def main() -> int:
    article = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ARTICLE
    hashes = sorted(shingle_hashes(words(article.read_text(encoding="utf-8"))))
    FINGERPRINT.parent.mkdir(parents=True, exist_ok=True)
    FINGERPRINT.write_text("\n".join(hashes) + "\n", encoding="utf-8")
    print(f"{len(hashes)} six-word runs from {article} -> {FINGERPRINT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
