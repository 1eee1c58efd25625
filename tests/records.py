"""The extractors' own records, with test defaults: what warehouse tests load.

Warehouse tests build real `Article`, `ThemeTag`, `ActorMention` and `Failure` records (not
stand-ins), so a field renamed in extractors/records.py fails them instead of loading NULLs.
"""

from __future__ import annotations

from datetime import datetime

from extractors.records import ActorMention, Article, Failure, FailureCode, ThemeTag

T0 = datetime(2024, 7, 8, 6, 0)
T1 = datetime(2024, 7, 9, 6, 0)


def make_article(article_id: str, key: str, text: str, content_hash: str, *,
                 published_at: datetime | None = None, source: str = "wire", title: str = "t",
                 url: str | None = None, word_count: int = 3, simhash: int = 0,
                 origin: str = "seed", language: str | None = None, **more) -> Article:
    """Return an Article with the defaults the warehouse tests share."""
    return Article(article_id=article_id, key=key, origin=origin, source=source, url=url,
                   title=title, text=text, author=None, published_at=published_at,
                   language=language, word_count=word_count, content_hash=content_hash,
                   simhash=simhash, **more)


def make_tag(article_id: str, theme: str, score: float = 1.0, evidence: dict | None = None,
             taxonomy_version: str = "v1") -> ThemeTag:
    """Return a ThemeTag (evidence: one term, no sentence, unless given)."""
    return ThemeTag(article_id, theme, score,
                    {"terms": {"oil": 1}, "sentences": []} if evidence is None else evidence,
                    taxonomy_version)


def make_actor(article_id: str, actor: str, kind: str = "country",
               mentions: int = 1) -> ActorMention:
    """Return an ActorMention."""
    return ActorMention(article_id, actor, kind, mentions)


def make_failure(location: str, source: str = "seed", stage: str = "seed",
                 code: FailureCode = FailureCode.MALFORMED, reason: str = "invalid JSON",
                 http_status: int | None = None, transient: bool = False) -> Failure:
    """Return a Failure (by default a seed line with invalid JSON)."""
    return Failure(location, source, stage, code, reason, http_status=http_status,
                   transient=transient)
