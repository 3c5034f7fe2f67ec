"""`python -m ai_catalog.tokens [--check] [ENCODING...]`: pre-fetch tiktoken encodings into
TIKTOKEN_CACHE_DIR (all four by default), or with --check report what this process would find."""

from __future__ import annotations

from ai_catalog.tokens.encodings import main

raise SystemExit(main())
