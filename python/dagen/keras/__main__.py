"""python -m dagen.keras ...: the dagen-export command."""
import sys

from .cli import main

sys.exit(main())
