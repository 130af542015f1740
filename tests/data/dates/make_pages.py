"""Write the publication-date fixture pages (``pages/*.html``) and their gold ``expected.jsonl``.

Each page is modelled on a structure real news sites use (JSON-LD in several shapes, Open Graph
and other meta names, microdata, ``<time>`` in bylines, url dates, datelines in four languages)
and most carry a trap (update stamps, later ``dateModified``, related-article lists with their
own dates in sidebars and in JSON-LD, copyright lines, embedded videos, future dates, invalid
JSON-LD). ``expected`` is the publication date the page states (``YYYY-MM-DD``, or ``YYYY-MM``
when only a month is known) or null when the page gives none a reader could trust. The article
texts are invented. Run ``python tests/data/dates/make_pages.py`` to regenerate.
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

EN = [
    "The regional council approved a plan on Monday to rebuild the flood barriers along the lower river, "
    "after two winters in which the water rose over the old walls and reached the market square.",
    "Engineers said the new barriers would be a metre higher and could be raised further if needed, and that "
    "work would start in the spring once the ground had dried out enough for the heavy machines.",
    "Shop owners near the square welcomed the decision but asked for help with the cost of the repairs they "
    "had already paid for themselves, saying insurance had covered only part of the damage.",
    "The council said a fund for small businesses would be discussed at its next meeting, together with a "
    "proposal to plant trees on the upper slopes to slow the water before it reaches the town.",
    "Hospital staff in the northern district voted to accept a new pay offer, ending a dispute that had "
    "led to three days of strikes and the postponement of hundreds of routine operations.",
    "Union representatives said the agreement included more nurses on night shifts and a review of the "
    "rules for overtime, which members had described as the main cause of exhaustion on the wards.",
    "A small aircraft made an emergency landing on a motorway after its engine failed shortly after take-off "
    "from the local airfield; the pilot and his two passengers walked away without injuries.",
    "Police closed the road for four hours while the plane was moved, and investigators began to examine the "
    "engine to find out why it lost power at an altitude of about three hundred metres.",
    "The city library reopened its main reading room after a renovation that took eighteen months and "
    "restored the painted ceiling, which had been hidden under layers of plaster since the war.",
    "Visitors queued in the rain before the doors opened, and the librarians handed out coffee and a "
    "small guide to the paintings, which show scenes from the history of the town and its harbour.",
    "Farmers in the valley reported the best apple harvest in a decade, helped by a warm spring and enough "
    "rain in the summer, but warned that prices had fallen because of the large supply.",
    "Cooperatives said they would store more of the fruit in cold rooms this year and sell it over the "
    "winter, instead of selling everything in the autumn when prices are at their lowest.",
]
DE = [
    "Der Stadtrat hat am Montag beschlossen, die Hochwasserschutzmauern am unteren Flusslauf zu erneuern, "
    "nachdem das Wasser in zwei Wintern über die alten Mauern gestiegen war und den Marktplatz erreicht hatte.",
    "Die Ingenieure erklärten, die neuen Mauern würden einen Meter höher und könnten bei Bedarf weiter "
    "erhöht werden; die Arbeiten sollen im Frühjahr beginnen, sobald der Boden trocken genug ist.",
    "Geschäftsleute am Platz begrüßten die Entscheidung, baten aber um Hilfe bei den Kosten der Reparaturen, "
    "die sie bereits selbst bezahlt hätten, weil die Versicherung nur einen Teil übernommen habe.",
]
FR = [
    "Le conseil régional a approuvé lundi un plan de reconstruction des digues le long de la rivière, après "
    "deux hivers au cours desquels l'eau a franchi les vieux murs et atteint la place du marché.",
    "Les ingénieurs ont indiqué que les nouvelles digues seraient plus hautes d'un mètre et que les travaux "
    "commenceraient au printemps, dès que le sol serait assez sec pour les engins lourds.",
    "Les commerçants ont salué la décision mais ont demandé une aide pour les réparations qu'ils avaient déjà "
    "payées eux-mêmes, l'assurance n'ayant couvert qu'une partie des dégâts.",
]
ES = [
    "El consejo regional aprobó el lunes un plan para reconstruir los diques a lo largo del río, después de "
    "dos inviernos en los que el agua superó los viejos muros y llegó a la plaza del mercado.",
    "Los ingenieros dijeron que los nuevos diques serían un metro más altos y que las obras comenzarían en "
    "primavera, cuando el suelo esté lo bastante seco para las máquinas pesadas.",
    "Los comerciantes celebraron la decisión pero pidieron ayuda para pagar las reparaciones que ya habían "
    "costeado ellos mismos, porque el seguro solo cubrió una parte de los daños.",
]
TEXTS = {"en": EN, "de": DE, "fr": FR, "es": ES}

NAV = '<nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/local">Local</a></li><li><a href="/sport">Sport</a></li></ul></nav>'
FOOTER = '<footer class="site-footer"><p>© {year} {site}. All rights reserved.</p><p><a href="/about">About us</a></p></footer>'


def paragraphs(lang: str, i: int, first: str = "") -> str:
    pool = TEXTS[lang]
    chosen = [pool[(i + k) % len(pool)] for k in range(4 if lang == "en" else 3)]
    if first:
        chosen[0] = first + " " + chosen[0][0].lower() + chosen[0][1:]
    return "\n".join(f"<p>{p}</p>" for p in chosen)


def related_sidebar(dates: list[str], kind: str = "aside") -> str:
    items = "".join(
        f'<li class="teaser"><a href="/news/story-{n}">Another story number {n}</a> '
        f'<time datetime="{d}">{d}</time></li>'
        for n, d in enumerate(dates)
    )
    if kind == "aside":
        return f'<aside class="sidebar"><h3>Most read</h3><ul>{items}</ul></aside>'
    return f'<div class="related-articles"><h3>Related</h3><ul>{items}</ul></div>'


def page(title: str, body: str, head: str = "", lang: str = "en", site: str = "Valley Courier",
         copyright_year: int = 2024) -> str:
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">\n<title>{title} | {site}</title>\n'
        f'<meta property="og:site_name" content="{site}">\n{head}\n</head>\n<body>\n{NAV}\n'
        f"{body}\n{FOOTER.format(year=copyright_year, site=site)}\n</body></html>\n"
    )


def jsonld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


CASES: list[tuple[str, str | None, str]] = []  # (name, expected, html)


def case(name: str, expected: str | None, html: str) -> None:
    CASES.append((name, expected, html))


def build() -> None:
    i = 0

    def nxt() -> int:
        nonlocal i
        i += 1
        return i

    # ---- JSON-LD ----
    case("jsonld-newsarticle-modified-later", "2017-11-14", page("Flood barriers approved", f"""
<article><h1>Flood barriers approved</h1>{paragraphs('en', nxt())}</article>""",
        jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Flood barriers approved",
                "datePublished": "2017-11-14T09:12:00+01:00", "dateModified": "2017-11-20T16:40:00+01:00",
                "author": {"@type": "Person", "name": "Ana Ruiz"}})))
    case("jsonld-graph-yoast", "2018-03-02", page("Hospital staff accept pay offer", f"""
<article class="post"><h1>Hospital staff accept pay offer</h1>{paragraphs('en', nxt())}</article>""",
        jsonld({"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "@id": "https://courier.example/#website", "name": "Valley Courier"},
            {"@type": "WebPage", "@id": "https://courier.example/pay-offer/", "datePublished": "2018-03-02T07:00:00+00:00",
             "dateModified": "2019-01-10T10:00:00+00:00"},
            {"@type": "Article", "@id": "https://courier.example/pay-offer/#article", "headline": "Hospital staff accept pay offer",
             "datePublished": "2018-03-02T07:00:00+00:00", "dateModified": "2019-01-10T10:00:00+00:00"}]})))
    case("jsonld-nested-mainentity", "2016-07-21", page("Plane lands on motorway", f"""
<div class="story"><h1>Plane lands on motorway</h1>{paragraphs('en', nxt())}</div>""",
        jsonld({"@context": "https://schema.org", "@type": "WebPage", "name": "Plane lands on motorway",
                "mainEntity": {"@type": "NewsArticle", "headline": "Plane lands on motorway",
                               "datePublished": "2016-07-21T18:05:00Z"}})))
    case("jsonld-itemlist-related-first", "2019-05-06", page("Library reopens", f"""
<article><h1>Library reopens</h1>{paragraphs('en', nxt())}</article>
{related_sidebar(['2019-06-01T10:00:00Z', '2019-06-03T10:00:00Z'])}""",
        jsonld({"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "item": {"@type": "NewsArticle", "headline": "Other", "datePublished": "2019-06-01T10:00:00Z"}},
            {"@type": "ListItem", "position": 2, "item": {"@type": "NewsArticle", "headline": "Other 2", "datePublished": "2019-06-03T10:00:00Z"}}]})
        + "\n" + jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Library reopens",
                         "datePublished": "2019-05-06T08:00:00+02:00"})))
    case("jsonld-webpage-only", "2015-10-09", page("Apple harvest", f"""
<main><h1>Apple harvest</h1>{paragraphs('en', nxt())}</main>""",
        jsonld({"@context": "https://schema.org", "@type": "WebPage", "datePublished": "2015-10-09"})))
    case("jsonld-written-date", "2017-11-14", page("Council vote", f"""
<article><h1>Council vote</h1>{paragraphs('en', nxt())}</article>""",
        jsonld({"@context": "http://schema.org", "@type": "ReportageNewsArticle", "datePublished": "November 14, 2017"})))
    case("jsonld-relatedlink-and-haspart", "2020-02-11", page("Nurses on night shifts", f"""
<article><h1>Nurses on night shifts</h1>{paragraphs('en', nxt())}</article>""",
        jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2020-02-11T12:00:00+00:00",
                "relatedLink": [{"@type": "NewsArticle", "datePublished": "2020-03-01T00:00:00Z"}],
                "hasPart": {"@type": "WebPageElement", "datePublished": "2020-04-01"}})))
    case("jsonld-video-older-plus-meta", "2018-09-17", page("Engine failure explained", f"""
<article><h1>Engine failure explained</h1>{paragraphs('en', nxt())}</article>""",
        '<meta property="article:published_time" content="2018-09-17T06:30:00+00:00">\n'
        + jsonld({"@context": "https://schema.org", "@type": "VideoObject", "name": "Archive footage",
                  "uploadDate": "2012-04-02", "datePublished": "2012-04-02"})))
    case("jsonld-month-only", "2017-11", page("November review", f"""
<article><h1>November review</h1>{paragraphs('en', nxt())}</article>""",
        jsonld({"@context": "https://schema.org", "@type": "Article", "datePublished": "2017-11"})))
    case("jsonld-invalid-plus-meta", "2016-02-29", page("Leap day storm", f"""
<article><h1>Leap day storm</h1>{paragraphs('en', nxt())}</article>""",
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2016-02-29T10:00:00Z",}</script>\n'
        '<meta property="article:published_time" content="2016-02-29T10:00:00Z">'))
    case("jsonld-cdata-comment", "2014-12-24", page("Christmas market", f"""
<article><h1>Christmas market</h1>{paragraphs('en', nxt())}</article>""",
        '<script type="application/ld+json">//<![CDATA[\n{"@context":"https://schema.org","@type":"NewsArticle",'
        '"datePublished":"2014-12-24T15:00:00+01:00"}\n//]]></script>'))
    case("jsonld-blogposting-es", "2019-08-30", page("Diques aprobados", f"""
<article><h1>Diques aprobados</h1>{paragraphs('es', nxt())}</article>""",
        jsonld({"@context": "https://schema.org", "@type": "BlogPosting", "datePublished": "2019-08-30T20:15:00-03:00",
                "dateModified": "2019-09-02T11:00:00-03:00", "inLanguage": "es"}), lang="es", site="Diario del Valle"))

    # ---- meta ----
    case("og-published-modified-later", "2017-04-03", page("Pay dispute ends", f"""
<article><h1>Pay dispute ends</h1>{paragraphs('en', nxt())}</article>""",
        '<meta property="article:published_time" content="2017-04-03T10:00:00+00:00">\n'
        '<meta property="article:modified_time" content="2017-04-05T08:00:00+00:00">\n'
        '<meta property="og:updated_time" content="2017-04-05T08:00:00+00:00">'))
    case("og-published-sidebar-later", "2018-01-15", page("Road closed after landing", f"""
<article><h1>Road closed after landing</h1>{paragraphs('en', nxt())}</article>
{related_sidebar(['2018-02-20T10:00:00Z', '2018-02-21T10:00:00Z', '2018-02-22T10:00:00Z'])}""",
        '<meta property="article:published_time" content="2018-01-15T13:45:00+00:00">'))
    case("itemprop-meta-copyright", "2016-05-19", page("Ceiling restored", f"""
<article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Ceiling restored</h1>
<meta itemprop="datePublished" content="2016-05-19">
<div itemprop="articleBody">{paragraphs('en', nxt())}</div></article>""", copyright_year=2023))
    case("pubdate-compact", "2017-11-14", page("Harvest record", f"""
<article><h1>Harvest record</h1>{paragraphs('en', nxt())}</article>""",
        '<meta name="pubdate" content="20171114">'))
    case("dc-date-issued", "2013-06-28", page("Barrier plans", f"""
<div id="content"><h1>Barrier plans</h1>{paragraphs('en', nxt())}</div>""",
        '<meta name="DC.date.issued" content="2013-06-28">\n<meta name="DC.date.modified" content="2015-01-01">'))
    case("sailthru-date", "2020-10-01", page("Cold rooms", f"""
<article><h1>Cold rooms</h1>{paragraphs('en', nxt())}</article>""",
        '<meta name="sailthru.date" content="2020-10-01 09:30:00">'))
    case("parsely-pub-date", "2021-01-07", page("Winter sales", f"""
<article><h1>Winter sales</h1>{paragraphs('en', nxt())}</article>""",
        '<meta name="parsely-pub-date" content="2021-01-07T14:00:00Z">'))
    case("parsely-page-json", "2016-11-09", page("Market square", f"""
<article><h1>Market square</h1>{paragraphs('en', nxt())}</article>""",
        '<meta name="parsely-page" content=\'{"title": "Market square", "pub_date": "2016-11-09T04:00:00Z"}\'>'))
    case("meta-rfc2822", "2017-11-14", page("Old walls", f"""
<article><h1>Old walls</h1>{paragraphs('en', nxt())}</article>""",
        '<meta name="publish-date" content="Tue, 14 Nov 2017 09:00:00 GMT">'))
    case("meta-timezone-late-evening", "2017-11-14", page("Night landing", f"""
<article><h1>Night landing</h1>{paragraphs('en', nxt())}</article>""",
        '<meta property="article:published_time" content="2017-11-14T23:30:00-05:00">'))
    case("meta-generic-date", "2012-03-08", page("Library guide", f"""
<article><h1>Library guide</h1>{paragraphs('en', nxt())}</article>""",
        '<meta name="date" content="2012-03-08">'))
    case("meta-empty-then-jsonld", "2019-12-30", page("Year in review", f"""
<article><h1>Year in review</h1>{paragraphs('en', nxt())}</article>""",
        '<meta property="article:published_time" content="">\n'
        + jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2019-12-30T06:00:00Z"})))
    case("meta-future-then-url", "2018-06-04", page("Summer plans", f"""
<article><h1>Summer plans</h1>{paragraphs('en', nxt())}</article>""",
        '<meta property="article:published_time" content="2091-06-04T00:00:00Z">\n'
        '<link rel="canonical" href="https://courier.example/2018/06/04/summer-plans/">'))
    case("meta-de-stand", "2017-11-14", page("Hochwasserschutz beschlossen", f"""
<article><h1>Hochwasserschutz beschlossen</h1><p class="meta">Stand: 15.11.2017 10:12 Uhr</p>{paragraphs('de', nxt())}</article>""",
        '<meta name="date" content="2017-11-14T08:00:00+01:00">\n<meta name="last-modified" content="2017-11-15T10:12:00+01:00">',
        lang="de", site="Talbote"))

    # ---- <time> ----
    case("time-pubdate-sidebar-before", "2017-09-25", page("Ward review", f"""
{related_sidebar(['2017-10-02T10:00:00Z', '2017-10-03T10:00:00Z'])}
<article><h1>Ward review</h1><p class="byline">By Ana Ruiz, <time datetime="2017-09-25T11:00:00+01:00" pubdate>25 September 2017</time></p>
{paragraphs('en', nxt())}</article>"""))
    case("time-header-then-updated", "2018-04-12", page("Motorway reopened", f"""
<header class="article-header"><h1>Motorway reopened</h1><div class="byline">By Ben Holt · <time datetime="2018-04-12T07:00:00Z">12 April 2018</time></div></header>
<article>{paragraphs('en', nxt())}<p class="stamp">Updated <time datetime="2018-04-13T09:00:00Z">13 April 2018</time></p></article>"""))
    case("time-updated-first", "2019-02-14", page("Valentine's market", f"""
<article><h1>Valentine's market</h1><p class="dates">Updated <time datetime="2019-02-16T10:00:00Z">16 Feb 2019</time> · Published <time datetime="2019-02-14T08:00:00Z">14 Feb 2019</time></p>
{paragraphs('en', nxt())}</article>"""))
    case("time-wordpress-entry-date", "2016-08-01", page("Apple prices fall", f"""
<article class="post type-post"><header class="entry-header"><h1 class="entry-title">Apple prices fall</h1>
<span class="posted-on"><time class="entry-date published" datetime="2016-08-01T12:00:00+00:00">August 1, 2016</time><time class="updated" datetime="2016-09-10T12:00:00+00:00">September 10, 2016</time></span></header>
<div class="entry-content">{paragraphs('en', nxt())}</div></article>"""))
    case("time-text-only-de", "2017-11-14", page("Neue Mauern", f"""
<article><h1>Neue Mauern</h1><p class="datum"><time>14. November 2017</time></p>{paragraphs('de', nxt())}</article>""",
        lang="de", site="Talbote"))
    case("time-text-only-fr", "2017-11-14", page("Nouvelles digues", f"""
<article><h1>Nouvelles digues</h1><p class="date">Publié le <time>mardi 14 novembre 2017</time></p>{paragraphs('fr', nxt())}</article>""",
        lang="fr", site="Le Courrier"))
    case("time-related-inside-article", "2015-03-30", page("Spring floods", f"""
<article><h1>Spring floods</h1><p class="byline"><time datetime="2015-03-30">30 March 2015</time></p>
{paragraphs('en', nxt())}
<div class="related-articles"><h3>Read more</h3><ul><li><a href="/a">Earlier floods</a> <time datetime="2014-01-02">2 Jan 2014</time></li></ul></div>
</article>"""))
    case("time-hatom-abbr", "2011-10-05", page("Harbour history", f"""
<div class="hentry"><h1 class="entry-title">Harbour history</h1><abbr class="published" title="2011-10-05T10:00:00+00:00">October 5th</abbr>
<div class="entry-content">{paragraphs('en', nxt())}</div></div>"""))
    case("time-only-in-sidebar", None, page("Orchard tours", f"""
<article><h1>Orchard tours</h1>{paragraphs('en', nxt())}</article>
{related_sidebar(['2020-05-01T10:00:00Z', '2020-05-02T10:00:00Z'])}"""))
    case("time-in-related-div-only", None, page("Cooperative meeting", f"""
<article><h1>Cooperative meeting</h1>{paragraphs('en', nxt())}</article>
{related_sidebar(['2021-03-01T10:00:00Z'], kind='div')}"""))

    # ---- url ----
    case("url-day", "2017-11-14", page("Barrier vote", f"""
<article><h1>Barrier vote</h1>{paragraphs('en', nxt())}</article>""",
        '<link rel="canonical" href="https://courier.example/news/2017/11/14/barrier-vote/">'))
    case("url-dashed", "2019-07-04", page("Fireworks banned", f"""
<article><h1>Fireworks banned</h1>{paragraphs('en', nxt())}</article>""",
        '<meta property="og:url" content="https://courier.example/2019-07-04/fireworks-banned">'))
    case("url-month-only", "2016-03", page("March floods", f"""
<article><h1>March floods</h1>{paragraphs('en', nxt())}</article>""",
        '<link rel="canonical" href="https://courier.example/2016/03/march-floods.html">'))
    case("url-month-plus-dateline", "2016-03-09", page("Dam inspection", f"""
<article><h1>Dam inspection</h1>{paragraphs('en', nxt(), first='RIVERTON, March 9, 2016 —')}</article>""",
        '<link rel="canonical" href="https://courier.example/2016/03/dam-inspection.html">'))
    case("url-compact", "2020-01-31", page("Brexit day", f"""
<article><h1>Brexit day</h1>{paragraphs('en', nxt())}</article>""",
        '<link rel="canonical" href="https://courier.example/news/20200131-brexit-day">'))

    # ---- datelines ----
    case("dateline-en", "2017-11-14", page("Soldier crosses border", f"""
<article><h1>Soldier crosses border</h1>{paragraphs('en', nxt(), first='SEOUL, Nov. 14, 2017 —')}</article>"""))
    case("dateline-de", "2017-11-14", page("Mauer erneuert", f"""
<article><h1>Mauer erneuert</h1>{paragraphs('de', nxt(), first='BERLIN, 14. November 2017 (dpa) –')}</article>""",
        lang="de", site="Talbote"))
    case("dateline-fr", "2017-12-01", page("Digues reconstruites", f"""
<article><h1>Digues reconstruites</h1>{paragraphs('fr', nxt(), first='PARIS, 1er décembre 2017 (AFP) -')}</article>""",
        lang="fr", site="Le Courrier"))
    case("dateline-es", "2018-02-05", page("Obras en primavera", f"""
<article><h1>Obras en primavera</h1>{paragraphs('es', nxt(), first='MADRID, 5 de febrero de 2018 (EFE).-')}</article>""",
        lang="es", site="Diario del Valle"))
    case("dateline-published-label", "2015-09-03", page("Bridge inspection", f"""
<article><h1>Bridge inspection</h1>{paragraphs('en', nxt(), first='Published 3 September 2015.')}</article>"""))

    # ---- traps with no trustworthy date ----
    case("copyright-only", None, page("Reading room", f"""
<article><h1>Reading room</h1>{paragraphs('en', nxt())}</article>""", copyright_year=2019))
    case("modified-meta-only", None, page("Timetable changes", f"""
<article><h1>Timetable changes</h1>{paragraphs('en', nxt())}</article>""",
        '<meta property="article:modified_time" content="2018-05-05T10:00:00Z">\n'
        '<meta property="og:updated_time" content="2018-05-05T10:00:00Z">'))
    case("jsonld-modified-only", None, page("Parking rules", f"""
<article><h1>Parking rules</h1>{paragraphs('en', nxt())}</article>""",
        jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "dateModified": "2020-08-08T10:00:00Z"})))
    case("updated-stamp-text-only", None, page("Bus routes", f"""
<article><h1>Bus routes</h1>{paragraphs('en', nxt(), first='Updated: Nov. 15, 2017.')}</article>"""))
    case("event-date-in-first-sentence", None, page("Council budget", f"""
<article><h1>Council budget</h1>{paragraphs('en', nxt(), first='The council voted on 3 October 2017 to raise the budget, and')}</article>"""))
    case("future-only", None, page("Plans for the future", f"""
<article><h1>Plans for the future</h1>{paragraphs('en', nxt())}</article>""",
        '<meta property="article:published_time" content="2093-01-01T00:00:00Z">'))
    case("placeholder-epoch", None, page("Site notice", f"""
<article><h1>Site notice</h1>{paragraphs('en', nxt())}</article>""",
        jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "1970-01-01T00:00:00Z"})))

    # ---- more mixed real-world shapes ----
    case("jsonld-and-url-and-time-agree", "2018-10-22", page("Autumn storms", f"""
<article><h1>Autumn storms</h1><time datetime="2018-10-22T06:00:00Z">22 Oct 2018</time>{paragraphs('en', nxt())}</article>
{related_sidebar(['2018-11-01T10:00:00Z'])}""",
        jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2018-10-22T06:00:00Z",
                "dateModified": "2018-10-25T06:00:00Z"})
        + '\n<link rel="canonical" href="https://courier.example/2018/10/22/autumn-storms">'))
    case("fr-meta-og", "2019-04-16", page("Incendie maîtrisé", f"""
<article><h1>Incendie maîtrisé</h1><p class="date">Mis à jour le 17 avril 2019</p>{paragraphs('fr', nxt())}</article>""",
        '<meta property="article:published_time" content="2019-04-16T19:50:00+02:00">\n'
        '<meta property="article:modified_time" content="2019-04-17T08:00:00+02:00">', lang="fr", site="Le Courrier"))
    case("es-time-and-actualizado", "2020-03-14", page("Cierre de escuelas", f"""
<article><h1>Cierre de escuelas</h1><p class="fecha"><time datetime="2020-03-14T10:00:00+01:00">14 de marzo de 2020</time> · Actualizado <time datetime="2020-03-15T09:00:00+01:00">15/03/2020</time></p>
{paragraphs('es', nxt())}</article>""", lang="es", site="Diario del Valle"))
    case("de-jsonld-graph", "2021-02-03", page("Schulen öffnen", f"""
<article><h1>Schulen öffnen</h1>{paragraphs('de', nxt())}</article>""",
        jsonld({"@context": "https://schema.org", "@graph": [
            {"@type": "Organization", "name": "Talbote"},
            {"@type": ["NewsArticle"], "headline": "Schulen öffnen", "datePublished": "2021-02-03T05:00:00+01:00",
             "dateModified": "2021-02-04T05:00:00+01:00"}]}), lang="de", site="Talbote"))


def main() -> None:
    build()
    out = HERE / "pages"
    out.mkdir(exist_ok=True)
    for old in out.glob("*.html"):
        old.unlink()
    with open(HERE / "expected.jsonl", "w", encoding="utf-8") as fh:
        for n, (name, expected, html) in enumerate(CASES, start=1):
            file = f"{n:02d}-{name}.html"
            (out / file).write_text(html, encoding="utf-8")
            fh.write(json.dumps({"file": file, "expected": expected, "case": name}) + "\n")
    print(f"{len(CASES)} pages written to {out}")


if __name__ == "__main__":
    main()
