"""Html pages (``.html``/``.htm``): main text and metadata via trafilatura, and a publication
date combined from the page's own signals.

Text: trafilatura's main-content extraction (comments left out, tables kept), one paragraph per
blank-line separated block. Bytes are decoded by ``decode`` with the page's ``<meta charset>``
(or ``http-equiv`` content type) as the declared encoding. Pages with fewer than 5 words of body
text are "no article text found".

Publication date, in order of trust (the first signal found wins; ``date_source`` says which):

1. ``json-ld``: ``datePublished`` of the page's article object (``NewsArticle``, ``Article``,
   ``BlogPosting`` ..., also inside ``@graph`` or nested), never of items in lists
   (``itemListElement``, ``relatedLink``, ``hasPart``); a ``WebPage``'s date only when no article
   object has one.
2. ``meta``: ``article:published_time``, ``og:published_time``, ``datePublished`` (``itemprop``,
   also on body elements outside sidebars), ``pubdate``, ``publish-date``, ``DC.date.issued``,
   ``dcterms.issued``, ``sailthru.date``, ``parsely-pub-date``, ``citation_publication_date`` ...
   then the generic ``date`` / ``DC.date``.
3. ``time-tag``: a ``<time>`` (``datetime`` attribute, else its text) or hAtom ``published``
   inside the main article or its header, never in ``<aside>``/``<nav>``/``<footer>`` or
   related/sidebar/teaser/most-read containers; ``pubdate``/"published" ones first, "updated"
   ones never.
4. ``url``: ``/2017/11/14/``, ``/2017-11-14/``, ``/20171114/`` in the canonical or og:url (a
   ``/2017/11/`` path gives a month).
5. ``dateline``: a date at the very start of the text (see ``dates.dateline_date``).
6. ``htmldate``: trafilatura's own ``htmldate.find_date(original_date=True,
   extensive_search=False)``, unless it equals an update date.

Refused: update stamps (``article:modified_time``, ``dateModified``, ``og:updated_time``,
"Updated ..." text) even when nothing else exists - then the page is undated (a wrong date is
worse than none: it moves the article in or out of every ``as_of``); the latest such stamp is
kept in ``extra["date_modified"]`` for reference. Also refused: copyright lines, the file's
mtime, dates after today, today's date from anything weaker than json-ld/meta, placeholder
dates (1970-01-01, 1900-01-01), years before 1990. A month-precise signal is refined by a
day-precise later signal inside that month. Measured on ``tests/data/dates``: see the README.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator

from ..dates import DateValue, dateline_date, parse_date
from ..types import FileLoad
from .base import Meta, Skip, authors, clean_title, make_document, normalise_text, quiet, too_long, truthy
from .decode import decode, read_bytes
from .scan import SourceFile

_MIN_ARTICLE_WORDS = 5
_MIN_HTML_YEAR = 1990
_PLACEHOLDERS = {"1970-01-01", "1900-01-01", "1969-12-31"}


def load_html(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    import trafilatura
    from trafilatura.utils import load_html as parse_html

    raw = read_bytes(source.path)
    if not raw.strip():
        raise Skip("empty file")
    markup, encoding = decode(raw, sniff_charset(raw[:4096]))
    tree = parse_html(_XML_DECLARATION.sub("", markup, count=1))
    if tree is None:
        raise Skip("no article text found")
    extra = _html_markers(tree)
    signals = DateSignals.collect(tree)
    with quiet("trafilatura", "htmldate", "courlan"):
        extracted = _extract_html(trafilatura, tree)
    if extracted is None or not extracted.text:
        raise Skip("no article text found")
    # trafilatura puts one paragraph per line; blank lines make paragraphs explicit for chunking.
    text = normalise_text(re.sub(r"\n+", "\n\n", extracted.text))
    title = clean_title(extracted.title)
    body = text[len(title):] if title and text.startswith(title) else text
    if len(body.split()) < _MIN_ARTICLE_WORDS:
        raise Skip("no article text found")
    if len(text) > max_chars:
        raise Skip(too_long(max_chars))
    value, date_source = signals.best(body, extracted.url, extracted.date)
    meta = Meta(
        title=title,
        source=clean_title(extracted.sitename),
        url=extracted.url or None,
        authors=authors(extracted.author),
        extra=extra,
    )
    meta.set_date(value, date_source)
    if signals.modified:
        meta.extra["date_modified"] = max(signals.modified)
    if extracted.description:
        meta.extra["description"] = extracted.description
    if encoding != "utf-8":
        meta.extra["encoding"] = encoding
    result.documents.append(make_document(source.rel, text, meta, source))


_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def sniff_charset(head: bytes) -> str | None:
    """The encoding a page declares in its first bytes (``<meta charset>`` or content type)."""
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _extract_html(trafilatura: Any, tree: Any) -> Any:
    return trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # Extensive search reads dates out of body text and footers ("(c) 2024" becomes
        # 2024-01-01); only the page's own date metadata counts here.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _html_markers(tree: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if name == "archivist:sample" and truthy(content):
            extra["sample"] = True
        elif name == "keywords" and content:
            keywords = [k.strip() for k in content.split(",") if k.strip()]
            if any(k.lower() in ("archivist:sample", "archivist sample") for k in keywords):
                extra["sample"] = True
            extra["keywords"] = keywords
    return extra


# ---- publication date ------------------------------------------------------------------------

_ARTICLE_TYPES = {
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle",
    "liveblogposting", "socialmediaposting", "report", "scholarlyarticle", "techarticle",
    "satiricalarticle", "advertisertcontentarticle", "discussionforumposting", "posting",
}
_PAGE_TYPES = {"webpage", "itempage", "aboutpage", "medicalwebpage", "qapage"}
_LIST_KEYS = {"itemlistelement", "relatedlink", "haspart", "ispartof", "citation", "mentions", "subjectof",
              "workexample", "significantlink", "comment", "review", "associatedarticle", "about"}

# Meta names (name / property / itemprop), lower case. Strong ones name the publication itself.
_STRONG_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "article:published",
    "datepublished", "published_time", "published-time", "article.published", "article_date_original",
    "publish-date", "publish_date", "publishdate", "publishdatetime", "pubdate", "pub_date", "date.published",
    "publication_date", "publication-date", "publicationdate", "parsely-pub-date", "sailthru.date",
    "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created", "citation_publication_date",
    "citation_date", "citation_online_date", "originalpublicationdate", "rnews:datepublished", "og:pubdate",
    "date_published", "cxenseparse:recs:publishtime", "bt:pubdate", "article:post_date",
    "displaydate", "dc.date.published", "firstpublisheddate",
)
_WEAK_META = ("dc.date", "dcterms.date", "date", "dc:date", "article_date")
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "og:modified_time", "article:modified", "datemodified",
    "modified_time", "last-modified", "lastmod", "lastmodified", "dcterms.modified", "dc.date.modified",
    "sailthru.lastmodified", "parsely-updated", "updated_time", "revised", "article:updated_time", "date.updated",
    "last-updated", "lastupdated", "dateupdated",
)
_STRONG_RANK = {name: i for i, name in enumerate(_STRONG_META)}

# Containers whose dates belong to other articles or the site, not to this article.
_EXCLUDED_TAGS = {"aside", "nav", "footer"}
_EXCLUDED_CLASS = re.compile(
    r"related|sidebar|side-bar|side_bar|recommend|more-?stories|more-?news|teaser|widget|trending|popular|"
    r"most-?read|mostread|promo|newsletter|comment|breadcrumb|outbrain|taboola|read-?more|also-?read|"
    r"you-?may|further-?reading|latest|top-?stories|footer|(?:^|[\s_-])(?:nav|menu|rail|aside|more)(?:$|[\s_-])|"
    r"weitere|verwandt|a-lire-aussi|lire-aussi|relacionad|archive-list|card-list|headlines",
    re.IGNORECASE,
)
_UPDATE_CLASS = re.compile(r"updat|modif|edited|revis|aktualis|actualiz", re.IGNORECASE)
_PUBLISH_CLASS = re.compile(r"publish|pubdate|posted|created|entry-date|dateline|byline|article-date|story-date|"
                            r"veroeffentlicht|publi", re.IGNORECASE)
_WEAK_TEXT = re.compile(
    r"(?:updated?|modified|last\s+edited|revised|aktualisiert|ge[äa]ndert|mis\s+[àa]\s+jour|actualizad[oa]|"
    r"actualizaci[óo]n|modificad[oa]|copyright|©)\W*$",
    re.IGNORECASE,
)
_URL_DAY = re.compile(r"(?<!\d)/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/._-]|$)")
_URL_COMPACT = re.compile(r"(?<![\dA-Za-z])/?((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_-])")
_URL_MONTH = re.compile(r"(?<!\d)/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/")


@dataclass
class _Found:
    value: DateValue
    source: str


class DateSignals:
    """The date signals of one parsed page (collected before trafilatura cleans the tree)."""

    def __init__(self) -> None:
        self.jsonld: list[_Found] = []
        self.meta_strong: list[tuple[int, _Found]] = []
        self.meta_weak: list[_Found] = []
        self.time_tags: list[_Found] = []
        self.urls: list[str] = []
        self.modified: list[str] = []
        self.elsewhere: set[str] = set()  # dates of <time> tags in sidebars, related lists, other articles

    @classmethod
    def collect(cls, tree: Any) -> "DateSignals":
        signals = cls()
        try:
            signals._jsonld(tree)
            signals._meta(tree)
            signals._time_tags(tree)
        except Exception:  # odd markup must never cost the page; signals found so far still count
            pass
        return signals

    def best(self, body: str, url: str | None, htmldate_value: Any) -> tuple[DateValue | None, str | None]:
        """The most trusted date (refined to a day when it is only a month), and its source."""
        candidates: list[_Found] = []
        candidates += self.jsonld
        candidates += [f for _, f in sorted(self.meta_strong, key=lambda item: item[0])]
        candidates += self.meta_weak
        candidates += self.time_tags
        candidates += [_Found(v, "url") for v in self._url_dates(url)]
        line = _vetted(dateline_date(body), strong=False)
        if line is not None:
            candidates.append(_Found(line, "dateline"))
        guess = _vetted(parse_date(htmldate_value) if htmldate_value else None, strong=False)
        if guess is not None and guess.iso not in {m[:10] for m in self.modified} and guess.iso not in self.elsewhere:
            candidates.append(_Found(guess, "htmldate"))
        if not candidates:
            return None, None
        chosen = candidates[0]
        if chosen.value.precision != "day":
            for other in candidates[1:]:
                if other.value.precision == "day" and chosen.value.first <= other.value.first <= chosen.value.last:
                    return other.value, other.source
        return chosen.value, chosen.source

    # -- json-ld --

    def _jsonld(self, tree: Any) -> None:
        articles: list[tuple[int, _Found]] = []
        pages: list[tuple[int, _Found]] = []
        others: list[tuple[int, _Found]] = []
        for script in tree.iter("script"):
            if (script.get("type") or "").strip().lower() != "application/ld+json":
                continue
            data = _load_jsonld(script.text or "")
            if data is None:
                continue
            for obj, types, depth, in_list in _walk_jsonld(data):
                modified = obj.get("dateModified")
                if isinstance(modified, str) and not in_list and (value := parse_date(modified)):
                    self.modified.append(value.iso)
                published = obj.get("datePublished")
                if in_list or not isinstance(published, (str, int)):
                    continue
                value = _vetted(parse_date(published), strong=True)
                if value is None:
                    continue
                found = (depth, _Found(value, "json-ld"))
                if types & _ARTICLE_TYPES:
                    articles.append(found)
                elif types & _PAGE_TYPES:
                    pages.append(found)
                elif not types:  # untyped; a VideoObject's or an Event's date is not the article's
                    others.append(found)
                url = obj.get("url") or obj.get("mainEntityOfPage")
                if isinstance(url, dict):
                    url = url.get("@id") or url.get("url")
                if isinstance(url, str) and types & (_ARTICLE_TYPES | _PAGE_TYPES):
                    self.urls.append(url)
        for group in (articles, pages, others):
            if group:
                group.sort(key=lambda item: item[0])  # the outermost object is the page's own
                self.jsonld.append(group[0][1])
                return

    # -- meta tags and microdata --

    def _meta(self, tree: Any) -> None:
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag == "meta":
                key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
                value = el.get("content")
                body_meta = el.get("itemprop") is not None and not el.get("name") and not el.get("property")
            elif el.tag == "link" and (el.get("rel") or "").lower() == "canonical":
                if el.get("href"):
                    self.urls.append(el.get("href"))
                continue
            elif el.get("itemprop") and el.get("itemprop").strip().lower() in ("datepublished", "datemodified"):
                key = el.get("itemprop").strip().lower()
                value = el.get("content") or el.get("datetime") or el.text_content()
                body_meta = True
            else:
                continue
            if not key or not value:
                continue
            if key == "og:url":
                self.urls.append(value)
                continue
            if body_meta and _in_excluded(el):
                continue  # microdata of a related article
            if key == "parsely-page":
                try:
                    page = json.loads(value)
                except ValueError:
                    continue
                if isinstance(page, dict) and (found := _vetted(parse_date(page.get("pub_date")), strong=True)):
                    self.meta_strong.append((len(_STRONG_RANK), _Found(found, "meta")))
                continue
            if key in _MODIFIED_META:
                if parsed := parse_date(value):
                    self.modified.append(parsed.iso)
                continue
            if key in _STRONG_RANK:
                if found := _vetted(parse_date(value), strong=True):
                    self.meta_strong.append((_STRONG_RANK[key], _Found(found, "meta")))
            elif key in _WEAK_META:
                if found := _vetted(parse_date(value), strong=True):
                    self.meta_weak.append(_Found(found, "meta"))

    # -- <time> in the article --

    def _time_tags(self, tree: Any) -> None:
        order = {el: i for i, el in enumerate(tree.iter())}
        articles = [a for a in tree.iter("article") if not _in_excluded(a)]
        main = max(articles, key=lambda a: len(a.text_content() or "")) if articles else None
        if main is None:
            mains = [m for m in tree.iter("main") if not _in_excluded(m)]
            main = mains[0] if mains else None
        end = _last_position(main, order) if main is not None else None
        published: list[tuple[int, _Found]] = []
        plain: list[tuple[int, _Found]] = []
        for el in tree.iter("time", "abbr"):
            classes = " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.get("id"))))
            if el.tag == "abbr" and not re.search(r"published", classes, re.IGNORECASE):
                continue
            position = order.get(el, 0)
            # A header before the article body still counts; anything after it, in another
            # article, or in a sidebar / related list does not (its date is remembered so that
            # htmldate's guess cannot bring it back).
            elsewhere = _in_excluded(el) or (main is not None and not _inside(el, main) and (
                end is None or position > end or any(_inside(el, a) for a in articles)))
            if elsewhere:
                raw = el.get("datetime") or el.get("title") or el.text_content()
                if (value := parse_date(raw)) is not None:
                    self.elsewhere.add(value.iso)
                continue
            context = classes + " " + " ".join(filter(None, (el.getparent().get("class") if el.getparent() is not None else None,)))
            if _UPDATE_CLASS.search(context) or _WEAK_TEXT.search(_text_before(el)):
                continue
            raw = el.get("datetime") or el.get("title") or el.get("content") or el.text_content()
            value = _vetted(parse_date(raw), strong=False)
            if value is None:
                continue
            flavoured = el.get("pubdate") is not None or bool(_PUBLISH_CLASS.search(context))
            (published if flavoured else plain).append((position, _Found(value, "time-tag")))
        for group in (published, plain):
            if group:
                group.sort(key=lambda item: item[0])
                self.time_tags.append(group[0][1])
                return

    # -- url --

    def _url_dates(self, url: str | None) -> Iterator[DateValue]:
        for candidate in [*self.urls, url]:
            if not candidate or not isinstance(candidate, str):
                continue
            path = re.sub(r"^[a-z]+://[^/]+", "", candidate.strip(), flags=re.IGNORECASE)
            for pattern in (_URL_DAY, _URL_COMPACT):
                if match := pattern.search(path):
                    value = parse_date(f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}")
                    if (value := _vetted(value, strong=False)) is not None:
                        yield value
                        return
            if match := _URL_MONTH.search(path):
                value = _vetted(parse_date(f"{match.group(1)}-{int(match.group(2)):02d}"), strong=False)
                if value is not None:
                    yield value
                    return


def _vetted(value: DateValue | None, strong: bool) -> DateValue | None:
    """``value`` unless it is in the future, a placeholder, too old for the web, or (for signals
    weaker than json-ld / meta) today's date."""
    if value is None:
        return None
    today = date.today()
    if value.first > today or value.iso in _PLACEHOLDERS or value.first.year < _MIN_HTML_YEAR:
        return None
    if not strong and value.precision == "day" and value.first == today:
        return None
    return value


def _load_jsonld(text: str) -> Any:
    text = text.strip()
    text = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", text)
    text = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", text).strip().rstrip(";")
    try:
        return json.loads(text)
    except ValueError:
        try:  # raw control characters inside strings are common in hand-written JSON-LD
            return json.loads(re.sub(r"[\x00-\x1f]+", " ", text))
        except ValueError:
            return None


def _walk_jsonld(node: Any, depth: int = 0, in_list: bool = False) -> Iterator[tuple[dict, set[str], int, bool]]:
    if depth > 12:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item, depth, in_list)
        return
    if not isinstance(node, dict):
        return
    raw_type = node.get("@type")
    types = {str(t).lower().rsplit("/", 1)[-1] for t in (raw_type if isinstance(raw_type, list) else [raw_type]) if t}
    yield node, types, depth, in_list
    for key, value in node.items():
        if not isinstance(value, (dict, list)):
            continue
        lowered = key.lower()
        if lowered == "@graph":
            yield from _walk_jsonld(value, depth, in_list)
        else:
            yield from _walk_jsonld(value, depth + 1, in_list or lowered in _LIST_KEYS)


def _classes(el: Any) -> str:
    return " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))


def _in_excluded(el: Any) -> bool:
    node = el
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _EXCLUDED_TAGS:
            return True
        if tag not in ("html", "body") and _EXCLUDED_CLASS.search(_classes(node)):
            return True
        node = node.getparent()
    return False


def _inside(el: Any, container: Any) -> bool:
    node = el
    while node is not None:
        if node is container:
            return True
        node = node.getparent()
    return False


def _last_position(el: Any, order: dict[Any, int]) -> int:
    last = order.get(el, 0)
    for child in el.iter():
        last = max(last, order.get(child, last))
    return last


def _text_before(el: Any) -> str:
    """The text right before ``el`` inside its parent (e.g. "Updated: ")."""
    previous = el.getprevious()
    if previous is not None:
        return (previous.tail or "") if (previous.tail or "").strip() else (previous.text_content() or "")[-40:]
    parent = el.getparent()
    return (parent.text or "") if parent is not None else ""
