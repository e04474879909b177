#!/usr/bin/env python
"""Django's command-line utility; the installed `ortaq` script does the same."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from ortaq.__main__ import main  # noqa: E402

if __name__ == "__main__":
    main()
