#!/usr/bin/env python3
"""Build a research brief: validate, verify citations, generate docs/, build site/.

    python build.py [BRIEF] [--check]
    python build.py --help
"""
import sys

from brief.cli import main

if __name__ == "__main__":
    sys.exit(main())
