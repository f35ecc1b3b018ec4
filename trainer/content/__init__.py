"""Training content: reads modules/, quizzes/ and case_examples/ into one validated Catalogue.

Pure Python: nothing here imports Flask or the database.
"""

from .loader import DEFAULT_LINKS, load_catalogue
from .model import AGE_GROUPS, END, SECTORS, Catalogue
from .problems import ContentError, Problem

__all__ = [
    "AGE_GROUPS",
    "DEFAULT_LINKS",
    "END",
    "SECTORS",
    "Catalogue",
    "ContentError",
    "Problem",
    "load_catalogue",
]
