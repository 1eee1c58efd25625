"""`mediawatch themes`: the taxonomy in force, its themes and (with --terms) every term."""

from __future__ import annotations

import argparse

from extractors.taxonomy import load_taxonomy

from .. import settings
from ..console import OUT


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--taxonomy", help="theme taxonomy TOML (default: the shipped one)")
    p.add_argument("--terms", action="store_true", help="list every term and rule")


def run(args: argparse.Namespace) -> int:
    tax = load_taxonomy(args.taxonomy or settings.get("taxonomy") or None)
    OUT.print(f"taxonomy {tax.path} (version {tax.version})", markup=False)
    s = tax.scoring
    OUT.print(f"scoring: damped past {s.reference_words} words; texts up to "
              f"{s.short_text_words} words keep the best theme per group", markup=False)
    for theme in tax.themes:
        group = f", group {theme.group}" if theme.group else ""
        langs = ", ".join(f"{lang} {len(t)}" for lang, t in theme.languages.items())
        extra = (f", articles {theme.article_threshold:g}"
                 if theme.article_threshold != theme.threshold else "")
        extra += f", needs {theme.parties} parties" if theme.parties else ""
        OUT.print(f"\n{theme.id} — {theme.label} (threshold {theme.threshold:g}{extra}{group}; "
                  f"terms: {langs}; proximity rules: {len(theme.near)})", markup=False)
        OUT.print(f"  {theme.description}", markup=False)
        if args.terms:
            for lang, terms in theme.languages.items():
                OUT.print(f"  [{lang}] " + ", ".join(f"{t} ({w:g})" for t, w in terms.items()),
                          markup=False)
            for rule in theme.near:
                OUT.print(f"  near: {', '.join(rule.terms)} within {rule.window} words of "
                          f"{', '.join(rule.partners)} ({rule.weight:g})", markup=False)
            if theme.exclude:
                OUT.print(f"  exclude: {', '.join(theme.exclude)}", markup=False)
        else:
            top = sorted(theme.terms.items(), key=lambda kv: -kv[1])[:12]
            OUT.print("  top terms: " + ", ".join(f"{t} ({w:g})" for t, w in top), markup=False)
    return 0
