"""Allow ``python -m fixlint``."""

from fixlint.cli import main

raise SystemExit(main())
